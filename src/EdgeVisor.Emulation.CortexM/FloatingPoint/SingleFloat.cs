using EdgeVisor.Emulation.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>
/// The FPv4-SP/FPv5-SP operations on binary32 bit patterns, bound to the shared soft-float core
/// (<c>EdgeVisor.Emulation.FloatingPoint</c>). FPSCR is both the control word (RMode, FZ, DN, AHP sit where the core
/// expects them) and the cumulative-flag word. FPSCR.FZ16 (bit 19) is never writable on these FPUs
/// (<see cref="Fpscr.WritableMask"/>), so half-precision values are never flushed, as the M profile requires.
/// </summary>
public static class SingleFloat
{
    private static readonly FloatFormat Single = FloatFormat.Single;

    /// <summary>FPAdd.</summary>
    public static uint Add(uint a, uint b, ref uint fpscr) => (uint)FloatArithmetic.Add(Single, a, b, fpscr, ref fpscr);

    /// <summary>FPSub.</summary>
    public static uint Sub(uint a, uint b, ref uint fpscr) => (uint)FloatArithmetic.Sub(Single, a, b, fpscr, ref fpscr);

    /// <summary>FPMul.</summary>
    public static uint Mul(uint a, uint b, ref uint fpscr) => (uint)FloatArithmetic.Mul(Single, a, b, fpscr, ref fpscr);

    /// <summary>FPDiv.</summary>
    public static uint Div(uint a, uint b, ref uint fpscr) => (uint)FloatArithmetic.Div(Single, a, b, fpscr, ref fpscr);

    /// <summary>FPSqrt.</summary>
    public static uint Sqrt(uint a, ref uint fpscr) => (uint)FloatArithmetic.Sqrt(Single, a, fpscr, ref fpscr);

    /// <summary>FPMulAdd (VFMA family): <paramref name="addend"/> + a×b with one rounding.</summary>
    public static uint MulAdd(uint addend, uint a, uint b, ref uint fpscr) =>
        (uint)FloatArithmetic.MulAdd(Single, addend, a, b, fpscr, ref fpscr);

    /// <summary>FPNeg: flips the sign bit, NaNs included, no flags.</summary>
    public static uint Neg(uint a) => a ^ 0x8000_0000;

    /// <summary>FPAbs: clears the sign bit, NaNs included, no flags.</summary>
    public static uint Abs(uint a) => a & 0x7FFF_FFFF;

    /// <summary>
    /// FPCompare: NZCV in bits 3..0. A signalling NaN always raises IOC; a quiet NaN only when
    /// <paramref name="signalOnQuietNaN"/> (VCMPE).
    /// </summary>
    public static uint Compare(uint a, uint b, bool signalOnQuietNaN, ref uint fpscr) =>
        FloatCompare.Compare(Single, a, b, signalOnQuietNaN, fpscr, ref fpscr);

    /// <summary>VCMP/VCMPE: the comparison result written into FPSCR.NZCV.</summary>
    public static void CompareIntoFpscr(uint a, uint b, bool signalOnQuietNaN, ref uint fpscr)
    {
        uint nzcv = Compare(a, b, signalOnQuietNaN, ref fpscr);
        fpscr = (fpscr & ~Fpscr.NzcvMask) | (nzcv << 28);
    }

    /// <summary>FPMaxNum (VMAXNM): a single quiet NaN loses to a number.</summary>
    public static uint MaxNum(uint a, uint b, ref uint fpscr) => (uint)FloatCompare.MaxNum(Single, a, b, fpscr, ref fpscr);

    /// <summary>FPMinNum (VMINNM).</summary>
    public static uint MinNum(uint a, uint b, ref uint fpscr) => (uint)FloatCompare.MinNum(Single, a, b, fpscr, ref fpscr);

    /// <summary>
    /// FPToFixed: <paramref name="a"/> × 2^fractionBits rounded with <paramref name="rounding"/> and saturated to a
    /// <paramref name="width"/>-bit integer (IOC on NaN or saturation, else IXC when inexact). Signed results come back
    /// sign-extended to 32 bits, unsigned ones zero-extended.
    /// </summary>
    public static uint ToFixed(uint a, int width, int fractionBits, bool unsigned, FloatRounding rounding, ref uint fpscr)
    {
        uint value = (uint)FloatConvert.ToFixed(Single, a, fractionBits, unsigned, width, rounding, fpscr, ref fpscr);
        int unused = 32 - width;
        return unsigned || unused == 0 ? value : (uint)((int)(value << unused) >> unused);
    }

    /// <summary>FixedToFP: the low <paramref name="width"/> bits of <paramref name="operand"/> / 2^fractionBits; zero gives +0.</summary>
    public static uint FromFixed(uint operand, int width, int fractionBits, bool unsigned, FloatRounding rounding, ref uint fpscr) =>
        (uint)FloatConvert.FromFixed(Single, operand, fractionBits, unsigned, width, rounding, fpscr, ref fpscr);

    /// <summary>FPRoundInt (VRINT*): <paramref name="exact"/> (VRINTX) raises IXC when the value changes.</summary>
    public static uint RoundToIntegral(uint a, FloatRounding rounding, bool exact, ref uint fpscr) =>
        (uint)FloatConvert.RoundToIntegral(Single, a, rounding, exact, fpscr, ref fpscr);

    /// <summary>FPConvert single → half (VCVTB/VCVTT.F16.F32) with FPSCR rounding and AHP; the result is in the low 16 bits.</summary>
    public static uint SingleToHalf(uint a, ref uint fpscr) =>
        (uint)FloatConvert.Convert(Single, FloatFormat.Half, a, Fpscr.RoundingMode(fpscr), fpscr, ref fpscr);

    /// <summary>FPConvert half (low 16 bits of <paramref name="h"/>) → single (VCVTB/VCVTT.F32.F16); always exact.</summary>
    public static uint HalfToSingle(uint h, ref uint fpscr) =>
        (uint)FloatConvert.Convert(FloatFormat.Half, Single, h & 0xFFFF, Fpscr.RoundingMode(fpscr), fpscr, ref fpscr);

    /// <summary>VFPExpandImm for VMOV.F32 #imm.</summary>
    public static uint ExpandImmediate(uint imm8) => (uint)FloatImmediate.Expand(Single, (byte)imm8);
}
