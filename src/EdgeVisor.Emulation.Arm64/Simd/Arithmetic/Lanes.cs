using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic;

/// <summary>
/// Element access on a vector held in a local, by reference, so element loops compile to plain loads and stores
/// instead of the shuffles <see cref="Vector128{T}.GetElement"/> with a variable index needs. <c>size</c> is log2 of
/// the element size in bytes.
/// </summary>
internal static class Lanes
{
    /// <summary>Element <paramref name="index"/>, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(ref Vector128<byte> v, int size, int index)
    {
        ref byte b = ref Unsafe.As<Vector128<byte>, byte>(ref v);
        return size switch
        {
            0 => Unsafe.Add(ref b, index),
            1 => Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, index * 2)),
            2 => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, index * 4)),
            _ => Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, index * 8)),
        };
    }

    /// <summary>Sets element <paramref name="index"/> to the low bits of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(ref Vector128<byte> v, int size, int index, ulong value)
    {
        ref byte b = ref Unsafe.As<Vector128<byte>, byte>(ref v);
        switch (size)
        {
            case 0:
                Unsafe.Add(ref b, index) = (byte)value;
                break;
            case 1:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, index * 2), (ushort)value);
                break;
            case 2:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, index * 4), (uint)value);
                break;
            default:
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, index * 8), value);
                break;
        }
    }

    /// <summary>The low <c>8 &lt;&lt; size</c> bits of <paramref name="value"/> as a signed number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SignExtend(ulong value, int size)
    {
        int unused = 64 - (8 << size);
        return (long)(value << unused) >> unused;
    }

    /// <summary>The element as a number: sign-extended when <paramref name="signed"/>, otherwise zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Int128 Extend(ulong value, int size, bool signed) => signed ? SignExtend(value, size) : value;

    /// <summary>
    /// The element as a 64-bit number: sign-extended when <paramref name="signed"/>, otherwise zero-extended. Exact
    /// only for elements narrower than 64 bits (or signed ones); cheaper than <see cref="Extend"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ExtendNarrow(ulong value, int size, bool signed) => signed ? SignExtend(value, size) : (long)value;

    /// <summary>Width of an element of <paramref name="size"/> in bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bits(int size) => 8 << size;
}
