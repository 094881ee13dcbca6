using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// One integer element operation of an Advanced SIMD instruction. The loops in <see cref="ElementLoops"/> are generic
/// over it, so the JIT compiles one specialised loop per instruction with the operation inlined.
/// </summary>
internal interface IElementOp
{
    /// <summary>
    /// The result element (the caller keeps its low bits). <paramref name="d"/> is the destination element (for
    /// accumulating forms), <paramref name="a"/> and <paramref name="b"/> the source elements, all zero-extended raw
    /// bits of an element of <paramref name="size"/>. Sets <paramref name="saturated"/> when a saturating form clamps.
    /// </summary>
    static abstract ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated);
}

/// <summary>Whether an instruction treats its elements as signed or unsigned (a type argument, so it costs nothing).</summary>
internal interface ISignedness
{
    static abstract bool IsSigned { get; }
}

internal readonly struct Signed : ISignedness
{
    public static bool IsSigned => true;
}

internal readonly struct Unsigned : ISignedness
{
    public static bool IsSigned => false;
}

internal readonly struct AddOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => a + b;
}

internal readonly struct SubOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => a - b;
}

internal readonly struct MulOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => a * b;
}

internal readonly struct MulAddOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => d + (a * b);
}

internal readonly struct MulSubOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => d - (a * b);
}

/// <summary>PMUL: carry-less multiply of bytes, low 8 bits of the product.</summary>
internal readonly struct PolynomialMulOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => Polynomial.Multiply(a, b, 8);
}

// The halving, min/max and absolute-difference forms have no 64-bit arrangement, so 64-bit arithmetic is exact for them.
internal readonly struct HalvingAddOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        (ulong)((Lanes.ExtendNarrow(a, size, TSign.IsSigned) + Lanes.ExtendNarrow(b, size, TSign.IsSigned)) >> 1);
}

internal readonly struct RoundingHalvingAddOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        (ulong)((Lanes.ExtendNarrow(a, size, TSign.IsSigned) + Lanes.ExtendNarrow(b, size, TSign.IsSigned) + 1) >> 1);
}

internal readonly struct HalvingSubOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        (ulong)((Lanes.ExtendNarrow(a, size, TSign.IsSigned) - Lanes.ExtendNarrow(b, size, TSign.IsSigned)) >> 1);
}

internal readonly struct SaturatingAddOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        size < 3
            ? Saturation.ClampNarrow(Lanes.ExtendNarrow(a, size, TSign.IsSigned) + Lanes.ExtendNarrow(b, size, TSign.IsSigned), size, TSign.IsSigned, ref saturated)
            : Saturation.Clamp(Lanes.Extend(a, size, TSign.IsSigned) + Lanes.Extend(b, size, TSign.IsSigned), size, TSign.IsSigned, ref saturated);
}

internal readonly struct SaturatingSubOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        size < 3
            ? Saturation.ClampNarrow(Lanes.ExtendNarrow(a, size, TSign.IsSigned) - Lanes.ExtendNarrow(b, size, TSign.IsSigned), size, TSign.IsSigned, ref saturated)
            : Saturation.Clamp(Lanes.Extend(a, size, TSign.IsSigned) - Lanes.Extend(b, size, TSign.IsSigned), size, TSign.IsSigned, ref saturated);
}

/// <summary>SUQADD: signed destination plus unsigned source, signed saturation.</summary>
internal readonly struct SignedAccumulateUnsignedOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Saturation.Clamp(Lanes.Extend(d, size, true) + Lanes.Extend(a, size, false), size, true, ref saturated);
}

/// <summary>USQADD: unsigned destination plus signed source, unsigned saturation.</summary>
internal readonly struct UnsignedAccumulateSignedOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Saturation.Clamp(Lanes.Extend(d, size, false) + Lanes.Extend(a, size, true), size, false, ref saturated);
}

internal readonly struct MaxOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Lanes.ExtendNarrow(a, size, TSign.IsSigned) >= Lanes.ExtendNarrow(b, size, TSign.IsSigned) ? a : b;
}

internal readonly struct MinOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Lanes.ExtendNarrow(a, size, TSign.IsSigned) <= Lanes.ExtendNarrow(b, size, TSign.IsSigned) ? a : b;
}

internal readonly struct AbsoluteDifferenceOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        (ulong)Math.Abs(Lanes.ExtendNarrow(a, size, TSign.IsSigned) - Lanes.ExtendNarrow(b, size, TSign.IsSigned));
}

internal readonly struct AbsoluteDifferenceAccumulateOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        d + (ulong)Math.Abs(Lanes.ExtendNarrow(a, size, TSign.IsSigned) - Lanes.ExtendNarrow(b, size, TSign.IsSigned));
}

/// <summary>CMGT/CMHI (and CMGT #0 with a zero second operand): all ones when a &gt; b.</summary>
internal readonly struct CompareGreaterOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Lanes.Extend(a, size, TSign.IsSigned) > Lanes.Extend(b, size, TSign.IsSigned) ? ulong.MaxValue : 0;
}

internal readonly struct CompareGreaterEqualOp<TSign> : IElementOp
    where TSign : ISignedness
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Lanes.Extend(a, size, TSign.IsSigned) >= Lanes.Extend(b, size, TSign.IsSigned) ? ulong.MaxValue : 0;
}

internal readonly struct CompareEqualOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => a == b ? ulong.MaxValue : 0;
}

internal readonly struct TestBitsOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => (a & b) != 0 ? ulong.MaxValue : 0;
}

/// <summary>CMLT #0.</summary>
internal readonly struct CompareLessThanZeroOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => Lanes.SignExtend(a, size) < 0 ? ulong.MaxValue : 0;
}

/// <summary>CMLE #0.</summary>
internal readonly struct CompareLessEqualZeroOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => Lanes.SignExtend(a, size) <= 0 ? ulong.MaxValue : 0;
}

/// <summary>SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL: shift by the signed low byte of the second operand.</summary>
internal readonly struct ShiftByRegisterOp<TSign, TRound, TSaturate> : IElementOp
    where TSign : ISignedness
    where TRound : IFlag
    where TSaturate : IFlag
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated)
    {
        int shift = (sbyte)b;
        int bits = Lanes.Bits(size);
        Int128 value = Lanes.Extend(a, size, TSign.IsSigned);
        if (shift >= 0)
        {
            if (!TSaturate.IsSet)
            {
                return shift >= bits ? 0 : (ulong)(value << shift);
            }

            if (value == 0)
            {
                return 0;
            }

            // Any non-zero value shifted by the element width or more is out of range; below that the shift fits Int128.
            Int128 shifted = shift >= bits ? (value < 0 ? Int128.MinValue : Int128.MaxValue) : value << shift;
            return Saturation.Clamp(shifted, size, TSign.IsSigned, ref saturated);
        }

        // Right shifts beyond the element width all give the same result; capping keeps the rounding constant in range.
        int right = Math.Min(-shift, bits + 2);
        if (TRound.IsSet)
        {
            value += Int128.One << (right - 1);
        }

        value >>= right;
        return TSaturate.IsSet ? Saturation.Clamp(value, size, TSign.IsSigned, ref saturated) : (ulong)value;
    }
}

/// <summary>SQDMULH / SQRDMULH: high half of the doubled product, saturated (only -1 × -1 overflows).</summary>
internal readonly struct SaturatingDoublingMulHighOp<TRound> : IElementOp
    where TRound : IFlag
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated)
    {
        int bits = Lanes.Bits(size);
        Int128 product = 2 * (Int128)Lanes.SignExtend(a, size) * Lanes.SignExtend(b, size);
        if (TRound.IsSet)
        {
            product += Int128.One << (bits - 1);
        }

        return Saturation.Clamp(product >> bits, size, true, ref saturated);
    }
}

internal readonly struct AbsOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => (ulong)Int128.Abs(Lanes.SignExtend(a, size));
}

internal readonly struct NegOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => 0 - a;
}

internal readonly struct SaturatingAbsOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Saturation.Clamp(Int128.Abs(Lanes.SignExtend(a, size)), size, true, ref saturated);
}

internal readonly struct SaturatingNegOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        Saturation.Clamp(-(Int128)Lanes.SignExtend(a, size), size, true, ref saturated);
}

internal readonly struct NotOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => ~a;
}

/// <summary>CLS: leading bits equal to the sign bit, not counting the sign bit itself.</summary>
internal readonly struct CountLeadingSignOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated)
    {
        long value = Lanes.SignExtend(a, size);
        ulong magnitude = (ulong)(value ^ (value >> 63));
        return (ulong)(BitOperations.LeadingZeroCount(magnitude) - (64 - Lanes.Bits(size)) - 1);
    }
}

internal readonly struct CountLeadingZeroOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) =>
        (ulong)(BitOperations.LeadingZeroCount(a) - (64 - Lanes.Bits(size)));
}

internal readonly struct PopCountOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated) => (ulong)BitOperations.PopCount(a);
}

/// <summary>RBIT (bytes only).</summary>
internal readonly struct ReverseBitsOp : IElementOp
{
    public static ulong Apply(ulong d, ulong a, ulong b, int size, ref bool saturated)
    {
        uint x = (uint)a;
        x = ((x & 0x55) << 1) | ((x >> 1) & 0x55);
        x = ((x & 0x33) << 2) | ((x >> 2) & 0x33);
        return ((x & 0x0F) << 4) | ((x >> 4) & 0x0F);
    }
}

/// <summary>A compile-time yes/no type argument (rounding, saturation, accumulation).</summary>
internal interface IFlag
{
    static abstract bool IsSet { get; }
}

internal readonly struct Yes : IFlag
{
    public static bool IsSet => true;
}

internal readonly struct No : IFlag
{
    public static bool IsSet => false;
}

/// <summary>Saturation to an element's range; wraps <see cref="VectorElements"/> for both signednesses.</summary>
internal static class Saturation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Clamp(Int128 value, int size, bool signed, ref bool saturated) =>
        signed ? VectorElements.SaturateSigned(value, size, ref saturated) : VectorElements.SaturateUnsigned(value, size, ref saturated);

    /// <summary>As <see cref="Clamp"/> for elements narrower than 64 bits, in 64-bit arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ClampNarrow(long value, int size, bool signed, ref bool saturated)
    {
        int bits = Lanes.Bits(size);
        long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        long min = signed ? -(1L << (bits - 1)) : 0;
        if (value > max)
        {
            saturated = true;
            return (ulong)max;
        }

        if (value < min)
        {
            saturated = true;
            return (ulong)min;
        }

        return (ulong)value;
    }
}

/// <summary>Carry-less (polynomial over GF(2)) multiplication.</summary>
internal static class Polynomial
{
    /// <summary>Product of the low <paramref name="bits"/> bits of each operand, low 64 bits of the result.</summary>
    public static ulong Multiply(ulong a, ulong b, int bits)
    {
        ulong result = 0;
        for (int i = 0; i < bits; i++)
        {
            if (((b >> i) & 1) != 0)
            {
                result ^= a << i;
            }
        }

        return result;
    }

    /// <summary>Full 128-bit carry-less product of two 64-bit values.</summary>
    public static UInt128 Multiply64(ulong a, ulong b)
    {
        UInt128 result = 0;
        for (int i = 0; i < 64; i++)
        {
            if (((b >> i) & 1) != 0)
            {
                result ^= (UInt128)a << i;
            }
        }

        return result;
    }
}
