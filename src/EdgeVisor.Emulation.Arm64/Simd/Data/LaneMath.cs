using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// Integer arithmetic on one element held in the low bits of a ulong: sign extension, rounding shifts and
/// saturation to an element size (log2 bytes, 0..3). Saturation reports through a flag so the caller can set FPSR.QC once.
/// </summary>
internal static class LaneMath
{
    /// <summary>All-ones mask of an element of <paramref name="size"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mask(int size) => ulong.MaxValue >> (64 - (8 << size));

    /// <summary>The element's bits as a signed number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SignExtend(ulong value, int size)
    {
        int unused = 64 - (8 << size);
        return (long)(value << unused) >> unused;
    }

    /// <summary>Logical right shift that yields 0 for shifts of 64 or more (C# masks the count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ShiftRight(ulong value, int shift) => shift >= 64 ? 0 : value >> shift;

    /// <summary>Arithmetic right shift that yields the sign for shifts of 64 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ShiftRight(long value, int shift) => value >> Math.Min(shift, 63);

    /// <summary>Signed right shift by 1..64 adding the rounding constant 2^(shift-1) first (no intermediate overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 RoundingShiftRight(Int128 value, int shift) => (value + (Int128.One << (shift - 1))) >> shift;

    /// <summary>Unsigned right shift by 1..64 with rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 RoundingShiftRight(UInt128 value, int shift) => (value + (UInt128.One << (shift - 1))) >> shift;

    /// <summary>SignedSatQ: clamps to the signed range of <paramref name="size"/>; returns the element bits.</summary>
    public static ulong SaturateSigned(Int128 value, int size, ref bool saturated) => VectorElements.SaturateSigned(value, size, ref saturated);

    /// <summary>UnsignedSatQ of a signed value: negative gives 0, too large gives all ones.</summary>
    public static ulong SaturateUnsigned(Int128 value, int size, ref bool saturated)
    {
        if (value < 0)
        {
            saturated = true;
            return 0;
        }

        return SaturateUnsigned((UInt128)value, size, ref saturated);
    }

    /// <summary>UnsignedSatQ of a non-negative value.</summary>
    public static ulong SaturateUnsigned(UInt128 value, int size, ref bool saturated)
    {
        ulong max = Mask(size);
        if (value > max)
        {
            saturated = true;
            return max;
        }

        return (ulong)value;
    }
}
