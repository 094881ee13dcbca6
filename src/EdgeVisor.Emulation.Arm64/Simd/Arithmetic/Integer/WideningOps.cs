namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// An operation of the "three different" class: sources and result of different widths. <paramref name="a"/> and
/// <paramref name="b"/> arrive extended to 64 bits (narrow elements by the instruction's signedness, wide elements as
/// raw bits); <paramref name="d"/> is the destination element (accumulating forms). <paramref name="size"/> is the
/// narrow element size. The caller keeps the low bits of the result that fit the destination element.
/// </summary>
internal interface IWideningOp
{
    static abstract ulong Apply(ulong d, long a, long b, int size, ref bool saturated);
}

internal readonly struct AddLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => (ulong)(a + b);
}

internal readonly struct SubLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => (ulong)(a - b);
}

internal readonly struct AbsoluteDifferenceLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => (ulong)Math.Abs(a - b);
}

internal readonly struct AbsoluteDifferenceAccumulateLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => d + (ulong)Math.Abs(a - b);
}

internal readonly struct MulLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => (ulong)(a * b);
}

internal readonly struct MulAddLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => d + (ulong)(a * b);
}

internal readonly struct MulSubLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => d - (ulong)(a * b);
}

/// <summary>PMULL (8-bit elements): 16-bit carry-less product.</summary>
internal readonly struct PolynomialMulLongOp : IWideningOp
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated) => Polynomial.Multiply((ulong)a, (ulong)b, 8);
}

/// <summary>SQDMULL / SQDMLAL / SQDMLSL: the doubled product saturated to the wide size, then (for the accumulating forms) added or subtracted with saturation.</summary>
internal readonly struct SaturatingDoublingMulLongOp<TAccumulate, TSubtract> : IWideningOp
    where TAccumulate : IFlag
    where TSubtract : IFlag
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated)
    {
        int wide = size + 1;
        ulong product = Saturation.Clamp(2 * (Int128)a * b, wide, true, ref saturated);
        if (!TAccumulate.IsSet)
        {
            return product;
        }

        Int128 accumulator = Lanes.SignExtend(d, wide);
        Int128 term = Lanes.SignExtend(product, wide);
        return Saturation.Clamp(TSubtract.IsSet ? accumulator - term : accumulator + term, wide, true, ref saturated);
    }
}

/// <summary>ADDHN/SUBHN/RADDHN/RSUBHN: high half of the wide sum or difference, optionally rounded.</summary>
internal readonly struct HighNarrowOp<TSubtract, TRound> : IWideningOp
    where TSubtract : IFlag
    where TRound : IFlag
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated)
    {
        int bits = Lanes.Bits(size);
        ulong value = TSubtract.IsSet ? (ulong)a - (ulong)b : (ulong)a + (ulong)b;
        if (TRound.IsSet)
        {
            value += 1UL << (bits - 1);
        }

        return value >> bits;
    }
}

/// <summary>XTN and the saturating narrows: one wide element (in <c>a</c>, raw bits) to a narrow element of <c>size</c>.</summary>
internal readonly struct NarrowOp<TSourceSign, TTargetSign, TSaturate> : IWideningOp
    where TSourceSign : ISignedness
    where TTargetSign : ISignedness
    where TSaturate : IFlag
{
    public static ulong Apply(ulong d, long a, long b, int size, ref bool saturated)
    {
        if (!TSaturate.IsSet)
        {
            return (ulong)a;
        }

        Int128 value = Lanes.Extend((ulong)a, size + 1, TSourceSign.IsSigned);
        return Saturation.Clamp(value, size, TTargetSign.IsSigned, ref saturated);
    }
}
