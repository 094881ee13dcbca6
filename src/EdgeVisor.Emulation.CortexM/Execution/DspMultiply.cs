namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>
/// The DSP extension's signed halfword and most-significant-word multiplies, as pure functions. Names follow the
/// mnemonics; "top" flags select the high halfword of an operand (the &lt;x&gt;&lt;y&gt; = T suffixes), "exchange"
/// swaps the halves of the second operand (the X suffix), "round" adds 0x80000000 before taking the high word (R).
/// </summary>
public static class DspMultiply
{
    /// <summary>SMLA&lt;x&gt;&lt;y&gt;: half(n) * half(m) + a; Q on signed 32-bit overflow.</summary>
    public static uint MultiplyAccumulateHalves(uint n, uint m, uint a, bool nTop, bool mTop, ref bool q)
    {
        long result = (long)Half(n, nTop) * Half(m, mTop) + (int)a;
        return Wrap32(result, ref q);
    }

    /// <summary>SMUL&lt;x&gt;&lt;y&gt;: half(n) * half(m) (cannot overflow).</summary>
    public static uint MultiplyHalves(uint n, uint m, bool nTop, bool mTop) => (uint)(Half(n, nTop) * Half(m, mTop));

    /// <summary>SMLAW&lt;y&gt;: (n * half(m) + (a &lt;&lt; 16)) bits 47..16; Q on overflow.</summary>
    public static uint MultiplyAccumulateWord(uint n, uint m, uint a, bool mTop, ref bool q)
    {
        long result = ((long)(int)n * Half(m, mTop)) + ((long)(int)a << 16);
        return Wrap32(result >> 16, ref q);
    }

    /// <summary>SMULW&lt;y&gt;: (n * half(m)) bits 47..16.</summary>
    public static uint MultiplyWord(uint n, uint m, bool mTop) => (uint)(((long)(int)n * Half(m, mTop)) >> 16);

    /// <summary>SMLAD/SMUAD (subtract false) and SMLSD/SMUSD (subtract true): dual 16×16 products summed with a; Q on overflow.</summary>
    public static uint DualMultiplyAccumulate(uint n, uint m, uint a, bool exchange, bool subtract, ref bool q)
    {
        long sum = DualProducts(n, m, exchange, subtract) + (int)a;
        return Wrap32(sum, ref q);
    }

    /// <summary>SMLALD/SMLSLD: dual products added to the 64-bit accumulator (wrapping).</summary>
    public static ulong DualMultiplyAccumulateLong(uint n, uint m, ulong accumulator, bool exchange, bool subtract) =>
        unchecked(accumulator + (ulong)DualProducts(n, m, exchange, subtract));

    /// <summary>SMLAL&lt;x&gt;&lt;y&gt;: half(n) * half(m) added to the 64-bit accumulator (wrapping).</summary>
    public static ulong MultiplyAccumulateHalvesLong(uint n, uint m, ulong accumulator, bool nTop, bool mTop) =>
        unchecked(accumulator + (ulong)(long)(Half(n, nTop) * Half(m, mTop)));

    /// <summary>SMMLA/SMMLS/SMMUL: the high word of (a &lt;&lt; 32) ± n*m, optionally rounded.</summary>
    public static uint MostSignificantWord(uint n, uint m, uint a, bool subtract, bool round)
    {
        long product = (long)(int)n * (int)m;
        ulong result = unchecked(((ulong)a << 32) + (ulong)(subtract ? -product : product));
        if (round)
        {
            result = unchecked(result + 0x8000_0000UL);
        }

        return (uint)(result >> 32);
    }

    /// <summary>UMAAL: n*m + hi + lo, which always fits in 64 bits.</summary>
    public static ulong MultiplyAccumulateAccumulate(uint n, uint m, uint hi, uint lo) => ((ulong)n * m) + hi + lo;

    /// <summary>USAD8/USADA8: sum of the absolute differences of the four unsigned bytes, plus a.</summary>
    public static uint SumAbsoluteDifferences(uint n, uint m, uint a)
    {
        uint sum = a;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int x = (int)((n >> shift) & 0xFF);
            int y = (int)((m >> shift) & 0xFF);
            sum += (uint)Math.Abs(x - y);
        }

        return sum;
    }

    private static long DualProducts(uint n, uint m, bool exchange, bool subtract)
    {
        if (exchange)
        {
            m = (m >> 16) | (m << 16);
        }

        long low = (long)(short)n * (short)m;
        long high = (long)(short)(n >> 16) * (short)(m >> 16);
        return subtract ? low - high : low + high;
    }

    private static int Half(uint value, bool top) => top ? (short)(value >> 16) : (short)value;

    private static uint Wrap32(long value, ref bool q)
    {
        if (value != (int)value)
        {
            q = true;
        }

        return (uint)value;
    }
}
