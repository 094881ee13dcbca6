namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Saturating arithmetic of the DSP extension (QADD, QSUB, QDADD, QDSUB, SSAT16, USAT16), as pure functions.</summary>
public static class DspSaturating
{
    /// <summary>Signed 32-bit saturation; <paramref name="saturated"/> is set (never cleared) when clamping happened.</summary>
    public static int Saturate32(long value, ref bool saturated)
    {
        if (value > int.MaxValue)
        {
            saturated = true;
            return int.MaxValue;
        }

        if (value < int.MinValue)
        {
            saturated = true;
            return int.MinValue;
        }

        return (int)value;
    }

    /// <summary>QADD: sat(m + n).</summary>
    public static uint Add(uint m, uint n, ref bool q) => (uint)Saturate32((long)(int)m + (int)n, ref q);

    /// <summary>QSUB: sat(m - n).</summary>
    public static uint Subtract(uint m, uint n, ref bool q) => (uint)Saturate32((long)(int)m - (int)n, ref q);

    /// <summary>QDADD: sat(m + sat(2n)).</summary>
    public static uint DoubleAdd(uint m, uint n, ref bool q) =>
        (uint)Saturate32((long)(int)m + Saturate32(2L * (int)n, ref q), ref q);

    /// <summary>QDSUB: sat(m - sat(2n)).</summary>
    public static uint DoubleSubtract(uint m, uint n, ref bool q) =>
        (uint)Saturate32((long)(int)m - Saturate32(2L * (int)n, ref q), ref q);

    /// <summary>SSAT16: both signed halfwords saturated to the signed range of <paramref name="bits"/> (1..16) bits.</summary>
    public static uint SignedSaturate16(uint value, int bits, ref bool q)
    {
        int max = (1 << (bits - 1)) - 1;
        int min = -max - 1;
        return (SaturateLane((short)value, min, max, ref q) & 0xFFFF) | (SaturateLane((short)(value >> 16), min, max, ref q) << 16);
    }

    /// <summary>USAT16: both signed halfwords saturated to the unsigned range of <paramref name="bits"/> (0..15) bits.</summary>
    public static uint UnsignedSaturate16(uint value, int bits, ref bool q)
    {
        int max = (1 << bits) - 1;
        return (SaturateLane((short)value, 0, max, ref q) & 0xFFFF) | (SaturateLane((short)(value >> 16), 0, max, ref q) << 16);
    }

    private static uint SaturateLane(int value, int min, int max, ref bool q)
    {
        if (value > max)
        {
            q = true;
            return (uint)max;
        }

        if (value < min)
        {
            q = true;
            return (uint)min;
        }

        return (uint)value;
    }
}
