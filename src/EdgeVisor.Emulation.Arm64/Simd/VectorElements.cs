using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Simd;

/// <summary>
/// Element access and saturation shared by the Advanced SIMD handlers. <c>size</c> is log2 of the element size in
/// bytes (0 = B, 1 = H, 2 = S, 3 = D), as in the encodings.
/// </summary>
public static class VectorElements
{
    /// <summary>Element <paramref name="index"/> of <paramref name="v"/>, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Get(Vector128<byte> v, int size, int index) => size switch
    {
        0 => v.GetElement(index),
        1 => v.AsUInt16().GetElement(index),
        2 => v.AsUInt32().GetElement(index),
        _ => v.AsUInt64().GetElement(index),
    };

    /// <summary>Element <paramref name="index"/> of <paramref name="v"/>, sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long GetSigned(Vector128<byte> v, int size, int index) => size switch
    {
        0 => v.AsSByte().GetElement(index),
        1 => v.AsInt16().GetElement(index),
        2 => v.AsInt32().GetElement(index),
        _ => v.AsInt64().GetElement(index),
    };

    /// <summary>Returns <paramref name="v"/> with element <paramref name="index"/> set to the low bits of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> With(Vector128<byte> v, int size, int index, ulong value) => size switch
    {
        0 => v.WithElement(index, (byte)value),
        1 => v.AsUInt16().WithElement(index, (ushort)value).AsByte(),
        2 => v.AsUInt32().WithElement(index, (uint)value).AsByte(),
        _ => v.AsUInt64().WithElement(index, value).AsByte(),
    };

    /// <summary>Number of elements of <paramref name="size"/> in a 64-bit (Q=0) or 128-bit (Q=1) vector.</summary>
    public static int Count(int size, bool q) => (q ? 16 : 8) >> size;

    /// <summary>Clamps to the signed range of an element of <paramref name="size"/>, setting <paramref name="saturated"/> when it clamps.</summary>
    public static ulong SaturateSigned(Int128 value, int size, ref bool saturated)
    {
        int bits = 8 << size;
        Int128 max = (Int128.One << (bits - 1)) - 1;
        Int128 min = -(Int128.One << (bits - 1));
        if (value > max)
        {
            saturated = true;
            value = max;
        }
        else if (value < min)
        {
            saturated = true;
            value = min;
        }

        return (ulong)value & Mask(size);
    }

    /// <summary>Clamps to the unsigned range of an element of <paramref name="size"/>.</summary>
    public static ulong SaturateUnsigned(Int128 value, int size, ref bool saturated)
    {
        Int128 max = (Int128.One << (8 << size)) - 1;
        if (value > max)
        {
            saturated = true;
            return (ulong)max;
        }

        if (value < 0)
        {
            saturated = true;
            return 0;
        }

        return (ulong)value;
    }

    /// <summary>All-ones mask of an element of <paramref name="size"/>.</summary>
    public static ulong Mask(int size) => size >= 3 ? ulong.MaxValue : (1UL << (8 << size)) - 1;
}
