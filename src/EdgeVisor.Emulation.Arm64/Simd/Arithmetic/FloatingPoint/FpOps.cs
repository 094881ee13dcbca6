using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint;

/// <summary>
/// One floating-point element operation on raw bits through <see cref="SoftFloat"/>. <paramref name="size"/> is 2
/// (single) or 3 (double); <paramref name="d"/> is the destination element (FMLA/FMLS), <paramref name="parameter"/>
/// the op's <see cref="Decoding.Op.B"/> (a rounding mode or flag the decoder chose). Compares return all ones or zero.
/// </summary>
internal interface IFpOp
{
    static abstract ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr);
}

internal readonly struct FpAdd : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Add(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpSub : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Sub(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpMul : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Mul(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpMulX : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.MulX(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpDiv : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Div(size, a, b, fpcr, ref fpsr);
}

/// <summary>FMLA: d + a × b fused.</summary>
internal readonly struct FpMulAdd : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.MulAdd(size, d, a, b, fpcr, ref fpsr);
}

/// <summary>FMLS: d + (-a) × b fused.</summary>
internal readonly struct FpMulSub : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.MulAdd(size, d, SoftFloat.Negate(size, a), b, fpcr, ref fpsr);
}

internal readonly struct FpAbsoluteDifference : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.Abs(size, SoftFloat.Sub(size, a, b, fpcr, ref fpsr));
}

internal readonly struct FpMax : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Max(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpMin : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Min(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpMaxNum : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.MaxNum(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpMinNum : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.MinNum(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpRecipStep : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.RecipStep(size, a, b, fpcr, ref fpsr);
}

internal readonly struct FpRSqrtStep : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.RSqrtStep(size, a, b, fpcr, ref fpsr);
}

/// <summary>FCMEQ (register, or #0 with b = 0).</summary>
internal readonly struct FpCompareEqual : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareEqual(size, a, b, fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

internal readonly struct FpCompareGreaterEqual : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreaterEqual(size, a, b, fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

internal readonly struct FpCompareGreater : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreater(size, a, b, fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

/// <summary>FACGE: |a| ≥ |b|.</summary>
internal readonly struct FpAbsoluteCompareGreaterEqual : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreaterEqual(size, SoftFloat.Abs(size, a), SoftFloat.Abs(size, b), fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

internal readonly struct FpAbsoluteCompareGreater : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreater(size, SoftFloat.Abs(size, a), SoftFloat.Abs(size, b), fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

/// <summary>FCMLT #0: 0 &gt; a.</summary>
internal readonly struct FpCompareLessThanZero : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreater(size, 0, a, fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

/// <summary>FCMLE #0: 0 ≥ a.</summary>
internal readonly struct FpCompareLessEqualZero : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.CompareGreaterEqual(size, 0, a, fpcr, ref fpsr) ? ulong.MaxValue : 0;
}

internal readonly struct FpAbs : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Abs(size, a);
}

internal readonly struct FpNeg : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Negate(size, a);
}

internal readonly struct FpSqrt : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.Sqrt(size, a, fpcr, ref fpsr);
}

internal readonly struct FpRecipEstimate : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.RecipEstimate(size, a, fpcr, ref fpsr);
}

internal readonly struct FpRSqrtEstimate : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.RSqrtEstimate(size, a, fpcr, ref fpsr);
}

internal readonly struct FpRecipExponent : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) => SoftFloat.RecipExponent(size, a, fpcr, ref fpsr);
}

/// <summary>
/// The rounding parameter of the FRINT and FCVT forms: an <see cref="FpRounding"/> value, <see cref="FromFpcr"/>
/// for the forms that use FPCR.RMode, plus <see cref="Exact"/> / <see cref="UnsignedResult"/> flags.
/// </summary>
internal static class FpParameter
{
    public const byte FromFpcr = 0x0F;
    public const byte RoundingMask = 0x0F;

    /// <summary>FRINTX: raise Inexact when the value changes.</summary>
    public const byte Exact = 0x10;

    /// <summary>FCVT*U / UCVTF: unsigned integers.</summary>
    public const byte UnsignedResult = 0x20;

    public static FpRounding Rounding(byte parameter, uint fpcr)
    {
        int mode = parameter & RoundingMask;
        return mode == FromFpcr ? FpBits.Rounding(fpcr) : (FpRounding)mode;
    }
}

/// <summary>FRINTN/P/M/Z/A/I/X.</summary>
internal readonly struct FpRoundToIntegral : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.RoundToIntegral(size, a, FpParameter.Rounding(parameter, fpcr), (parameter & FpParameter.Exact) != 0, fpcr, ref fpsr);
}

/// <summary>FCVTNS/NU/MS/MU/PS/PU/ZS/ZU/AS/AU (vector and scalar): to an integer of the element's width.</summary>
internal readonly struct FpToInteger : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.ToFixed(size, a, 0, (parameter & FpParameter.UnsignedResult) != 0, 8 << size, FpParameter.Rounding(parameter, fpcr), fpcr, ref fpsr);
}

/// <summary>SCVTF/UCVTF (vector and scalar, integer form): from an integer of the element's width, FPCR rounding.</summary>
internal readonly struct FpFromInteger : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr) =>
        SoftFloat.FromFixed(size, a, 0, (parameter & FpParameter.UnsignedResult) != 0, 8 << size, FpBits.Rounding(fpcr), fpcr, ref fpsr);
}

/// <summary>URECPE: unsigned 32-bit reciprocal estimate (UnsignedRecipEstimate).</summary>
internal readonly struct UnsignedRecipEstimate : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr)
    {
        uint operand = (uint)a;
        if (operand < 0x8000_0000u)
        {
            return 0xFFFF_FFFFu;
        }

        // 9-bit input 256..511 taken as the interval midpoint, divided into 2^19 and rounded.
        uint input = (operand >> 23 << 1) + 1;
        uint quotient = (1u << 19) / input;
        uint estimate = (quotient + 1) >> 1;
        return (ulong)(estimate & 0x1FF) << 23;
    }
}

/// <summary>URSQRTE: unsigned 32-bit reciprocal square root estimate (UnsignedRSqrtEstimate).</summary>
internal readonly struct UnsignedRSqrtEstimate : IFpOp
{
    public static ulong Apply(int size, ulong d, ulong a, ulong b, byte parameter, uint fpcr, ref uint fpsr)
    {
        uint operand = (uint)a;
        if (operand < 0x4000_0000u)
        {
            return 0xFFFF_FFFFu;
        }

        // Input 128..511 as a scaled midpoint; find the largest b with input * b^2 below 2^28.
        ulong input = operand >> 23;
        input = input < 256 ? (input * 2) + 1 : (((input >> 1) << 1) + 1) * 2;
        ulong estimate = 512;
        while (input * (estimate + 1) * (estimate + 1) < (1UL << 28))
        {
            estimate++;
        }

        return (((estimate + 1) >> 1) & 0x1FF) << 23;
    }
}
