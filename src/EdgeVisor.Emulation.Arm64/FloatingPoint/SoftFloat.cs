using EdgeVisor.Emulation.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.FloatingPoint;

/// <summary>
/// IEEE 754 arithmetic with Arm's rules (ARM ARM FP pseudocode) on raw bit patterns, shared by the scalar FP and
/// the Advanced SIMD handlers. <c>size</c> is the element size as log2 bytes: 1 half, 2 single, 3 double. Operands and
/// results sit in the low bits of a ulong. <c>fpcr</c> supplies the modes (RMode, FZ, FZ16, DN, AHP) and
/// <c>fpsr</c> accumulates the cumulative flags (IOC, DZC, OFC, UFC, IXC, IDC).
/// The format-generic implementation lives in EdgeVisor.Emulation.FloatingPoint (FPCR/FPSR share its bit layout);
/// this class maps A64 element sizes onto it.
/// </summary>
public static class SoftFloat
{
    /// <summary>FPAdd.</summary>
    public static ulong Add(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatArithmetic.Add(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPSub.</summary>
    public static ulong Sub(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatArithmetic.Sub(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPMul.</summary>
    public static ulong Mul(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatArithmetic.Mul(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FMULX: as Mul, but 0 × ∞ gives ±2.0.</summary>
    public static ulong MulX(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatArithmetic.MulX(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPDiv.</summary>
    public static ulong Div(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatArithmetic.Div(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPMulAdd: addend + a × b with one rounding. FMSUB/FNMADD/FNMSUB negate operands before calling (FPNeg).</summary>
    public static ulong MulAdd(int size, ulong addend, ulong a, ulong b, uint fpcr, ref uint fpsr) =>
        FloatArithmetic.MulAdd(Format(size), addend, a, b, fpcr, ref fpsr);

    /// <summary>FPSqrt.</summary>
    public static ulong Sqrt(int size, ulong a, uint fpcr, ref uint fpsr) => FloatArithmetic.Sqrt(Format(size), a, fpcr, ref fpsr);

    /// <summary>FPMax.</summary>
    public static ulong Max(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.Max(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPMin.</summary>
    public static ulong Min(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.Min(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FMAXNM: a quiet NaN operand loses to a number.</summary>
    public static ulong MaxNum(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.MaxNum(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FMINNM: a quiet NaN operand loses to a number.</summary>
    public static ulong MinNum(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.MinNum(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPCompare: NZCV in bits 3..0 (0b0110 equal, 0b1000 less, 0b0010 greater, 0b0011 unordered). <paramref name="signalAllNaNs"/> for FCMPE.</summary>
    public static uint Compare(int size, ulong a, ulong b, bool signalAllNaNs, uint fpcr, ref uint fpsr) =>
        FloatCompare.Compare(Format(size), a, b, signalAllNaNs, fpcr, ref fpsr);

    /// <summary>FPCompareEQ (FCMEQ): quiet.</summary>
    public static bool CompareEqual(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.CompareEqual(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPCompareGE (FCMGE): signals on any NaN.</summary>
    public static bool CompareGreaterEqual(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) =>
        FloatCompare.CompareGreaterEqual(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPCompareGT (FCMGT): signals on any NaN.</summary>
    public static bool CompareGreater(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => FloatCompare.CompareGreater(Format(size), a, b, fpcr, ref fpsr);

    /// <summary>FPRoundInt (FRINTN/P/M/Z/A/I/X): <paramref name="exact"/> raises Inexact when the value changed (FRINTX).</summary>
    public static ulong RoundToIntegral(int size, ulong a, FpRounding rounding, bool exact, uint fpcr, ref uint fpsr) =>
        FloatConvert.RoundToIntegral(Format(size), a, (FloatRounding)rounding, exact, fpcr, ref fpsr);

    /// <summary>
    /// FPToFixed: to a <paramref name="targetBits"/>-bit (32 or 64) integer with <paramref name="fractionBits"/> fraction
    /// bits, saturating, IOC on NaN or overflow. Returns the integer zero-extended (32-bit results in the low half).
    /// </summary>
    public static ulong ToFixed(int size, ulong a, int fractionBits, bool unsigned, int targetBits, FpRounding rounding, uint fpcr, ref uint fpsr) =>
        FloatConvert.ToFixed(Format(size), a, fractionBits, unsigned, targetBits, (FloatRounding)rounding, fpcr, ref fpsr);

    /// <summary>FixedToFP: the low <paramref name="sourceBits"/> (32 or 64) bits of <paramref name="value"/> as a fixed-point number.</summary>
    public static ulong FromFixed(int size, ulong value, int fractionBits, bool unsigned, int sourceBits, FpRounding rounding, uint fpcr, ref uint fpsr) =>
        FloatConvert.FromFixed(Format(size), value, fractionBits, unsigned, sourceBits, (FloatRounding)rounding, fpcr, ref fpsr);

    /// <summary>FPConvert between sizes (FCVT): half uses AHP from <paramref name="fpcr"/>.</summary>
    public static ulong Convert(int fromSize, int toSize, ulong a, FpRounding rounding, uint fpcr, ref uint fpsr) =>
        FloatConvert.Convert(Format(fromSize), Format(toSize), a, (FloatRounding)rounding, fpcr, ref fpsr);

    /// <summary>FRECPE.</summary>
    public static ulong RecipEstimate(int size, ulong a, uint fpcr, ref uint fpsr) => FloatEstimate.RecipEstimate(Format(size), a, fpcr, ref fpsr);

    /// <summary>FRSQRTE.</summary>
    public static ulong RSqrtEstimate(int size, ulong a, uint fpcr, ref uint fpsr) => FloatEstimate.RSqrtEstimate(Format(size), a, fpcr, ref fpsr);

    /// <summary>FRECPS: 2 - a × b, fused.</summary>
    public static ulong RecipStep(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) =>
        FloatArithmetic.StepFused(Format(size), a, b, reciprocalSquareRoot: false, fpcr, ref fpsr);

    /// <summary>FRSQRTS: (3 - a × b) / 2, fused.</summary>
    public static ulong RSqrtStep(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) =>
        FloatArithmetic.StepFused(Format(size), a, b, reciprocalSquareRoot: true, fpcr, ref fpsr);

    /// <summary>FRECPX.</summary>
    public static ulong RecipExponent(int size, ulong a, uint fpcr, ref uint fpsr) => FloatEstimate.RecipExponent(Format(size), a, fpcr, ref fpsr);

    /// <summary>VFPExpandImm for FMOV #imm.</summary>
    public static ulong ExpandImmediate(int size, byte imm8) => FloatImmediate.Expand(Format(size), imm8);

    /// <summary>FPNeg / FPAbs: flip or clear the sign bit (NaNs included, no flags).</summary>
    public static ulong Negate(int size, ulong a) => a ^ (1UL << ((8 << size) - 1));

    /// <summary>FPAbs: clears the sign bit.</summary>
    public static ulong Abs(int size, ulong a) => a & ~(1UL << ((8 << size) - 1));

    private static FloatFormat Format(int size) => size switch
    {
        2 => FloatFormat.Single,
        3 => FloatFormat.Double,
        _ => FloatFormat.FromLog2Bytes(size),
    };
}

/// <summary>Rounding for the FP operations. The first four are FPCR.RMode's encodings.</summary>
public enum FpRounding : byte
{
    TieEven = 0,
    PlusInfinity = 1,
    MinusInfinity = 2,
    Zero = 3,
    TieAway = 4,

    /// <summary>Round to odd (FCVTXN).</summary>
    Odd = 5,
}

/// <summary>FPCR and FPSR bits.</summary>
public static class FpBits
{
    public const uint Ahp = 1u << 26;
    public const uint Dn = 1u << 25;
    public const uint Fz = 1u << 24;
    public const int RModeShift = 22;
    public const uint Fz16 = 1u << 19;

    /// <summary>The FPCR bits a guest can set at EL0 on a core without trapping FP exceptions (the rest read as zero).</summary>
    public const uint FpcrWritable = Ahp | Dn | Fz | (3u << RModeShift) | Fz16;

    public const uint Ioc = 1u << 0;
    public const uint Dzc = 1u << 1;
    public const uint Ofc = 1u << 2;
    public const uint Ufc = 1u << 3;
    public const uint Ixc = 1u << 4;
    public const uint Idc = 1u << 7;

    /// <summary>Cumulative saturation (Advanced SIMD saturating instructions).</summary>
    public const uint Qc = 1u << 27;

    public const uint FpsrWritable = Ioc | Dzc | Ofc | Ufc | Ixc | Idc | Qc;

    /// <summary>The rounding mode FPCR selects.</summary>
    public static FpRounding Rounding(uint fpcr) => (FpRounding)((fpcr >> RModeShift) & 3);
}
