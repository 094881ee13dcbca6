using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// Host atomic primitives at one access width, on a pointer from <see cref="Memory.GuestMemory.AtomicPointer"/>
/// (aligned, permission-checked). Values travel zero-extended in a ulong. Structs, so handlers specialise per width.
/// </summary>
internal unsafe interface IAtomicWidth
{
    /// <summary>Access size in bytes.</summary>
    static abstract int Bytes { get; }

    /// <summary>An acquiring read (no later access moves before it).</summary>
    static abstract ulong Read(byte* pointer);

    /// <summary>Stores <paramref name="value"/> if memory holds <paramref name="comparand"/>; returns what memory held.</summary>
    static abstract ulong CompareExchange(byte* pointer, ulong value, ulong comparand);

    /// <summary>Swaps in <paramref name="value"/> with a full barrier; returns the old value.</summary>
    static abstract ulong Exchange(byte* pointer, ulong value);

    /// <summary>The low bits of <paramref name="value"/> at this width, zero-extended.</summary>
    static abstract ulong Truncate(ulong value);

    /// <summary>The low bits of <paramref name="value"/> at this width, sign-extended.</summary>
    static abstract long SignExtend(ulong value);
}

internal unsafe struct Atomic8 : IAtomicWidth
{
    public static int Bytes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(byte* pointer) => Volatile.Read(ref *pointer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(byte* pointer, ulong value, ulong comparand) =>
        Interlocked.CompareExchange(ref *pointer, (byte)value, (byte)comparand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange(byte* pointer, ulong value) => Interlocked.Exchange(ref *pointer, (byte)value);

    public static ulong Truncate(ulong value) => (byte)value;

    public static long SignExtend(ulong value) => (sbyte)value;
}

internal unsafe struct Atomic16 : IAtomicWidth
{
    public static int Bytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(byte* pointer) => Volatile.Read(ref *(ushort*)pointer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(byte* pointer, ulong value, ulong comparand) =>
        Interlocked.CompareExchange(ref *(ushort*)pointer, (ushort)value, (ushort)comparand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange(byte* pointer, ulong value) => Interlocked.Exchange(ref *(ushort*)pointer, (ushort)value);

    public static ulong Truncate(ulong value) => (ushort)value;

    public static long SignExtend(ulong value) => (short)value;
}

internal unsafe struct Atomic32 : IAtomicWidth
{
    public static int Bytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(byte* pointer) => Volatile.Read(ref *(uint*)pointer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(byte* pointer, ulong value, ulong comparand) =>
        Interlocked.CompareExchange(ref *(uint*)pointer, (uint)value, (uint)comparand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange(byte* pointer, ulong value) => Interlocked.Exchange(ref *(uint*)pointer, (uint)value);

    public static ulong Truncate(ulong value) => (uint)value;

    public static long SignExtend(ulong value) => (int)value;
}

internal unsafe struct Atomic64 : IAtomicWidth
{
    public static int Bytes => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(byte* pointer) => Volatile.Read(ref *(ulong*)pointer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(byte* pointer, ulong value, ulong comparand) =>
        Interlocked.CompareExchange(ref *(ulong*)pointer, value, comparand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Exchange(byte* pointer, ulong value) => Interlocked.Exchange(ref *(ulong*)pointer, value);

    public static ulong Truncate(ulong value) => value;

    public static long SignExtend(ulong value) => (long)value;
}
