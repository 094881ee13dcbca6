using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.LoadStore.SingleRegister;

/// <summary>
/// One general-register memory access shape: width and how a load extends into the 64-bit register (a W result is
/// zero-extended to 64 bits, as every 32-bit register write is). Structs, so handlers specialise per shape.
/// </summary>
internal interface IIntegerAccess
{
    /// <summary>Reads the value and extends it as the instruction defines.</summary>
    static abstract ulong Load(GuestMemory memory, ulong address);

    /// <summary>Stores the low bits of <paramref name="value"/>.</summary>
    static abstract void Store(GuestMemory memory, ulong address, ulong value);
}

/// <summary>Byte, zero-extended (LDRB/STRB).</summary>
internal struct ByteAccess : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => memory.Read8(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, ulong value) => memory.Write8(address, (byte)value);
}

/// <summary>Halfword, zero-extended (LDRH/STRH).</summary>
internal struct HalfAccess : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => memory.Read16(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, ulong value) => memory.Write16(address, (ushort)value);
}

/// <summary>Word, zero-extended (LDR Wt/STR Wt).</summary>
internal struct WordAccess : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => memory.Read32(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, ulong value) => memory.Write32(address, (uint)value);
}

/// <summary>Doubleword (LDR Xt/STR Xt).</summary>
internal struct DoubleAccess : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => memory.Read64(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, ulong value) => memory.Write64(address, value);
}

/// <summary>Signed byte into an X register (LDRSB Xt).</summary>
internal struct SignedByteToX : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => (ulong)(sbyte)memory.Read8(address);

    public static void Store(GuestMemory memory, ulong address, ulong value) => throw new InvalidOperationException("LDRSB has no store form");
}

/// <summary>Signed byte into a W register (LDRSB Wt): bits 63:32 are zero.</summary>
internal struct SignedByteToW : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => (uint)(sbyte)memory.Read8(address);

    public static void Store(GuestMemory memory, ulong address, ulong value) => throw new InvalidOperationException("LDRSB has no store form");
}

/// <summary>Signed halfword into an X register (LDRSH Xt).</summary>
internal struct SignedHalfToX : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => (ulong)(short)memory.Read16(address);

    public static void Store(GuestMemory memory, ulong address, ulong value) => throw new InvalidOperationException("LDRSH has no store form");
}

/// <summary>Signed halfword into a W register (LDRSH Wt).</summary>
internal struct SignedHalfToW : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => (uint)(short)memory.Read16(address);

    public static void Store(GuestMemory memory, ulong address, ulong value) => throw new InvalidOperationException("LDRSH has no store form");
}

/// <summary>Signed word into an X register (LDRSW).</summary>
internal struct SignedWordToX : IIntegerAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(GuestMemory memory, ulong address) => (ulong)(int)memory.Read32(address);

    public static void Store(GuestMemory memory, ulong address, ulong value) => throw new InvalidOperationException("LDRSW has no store form");
}

/// <summary>
/// One SIMD&amp;FP register memory access: B, H, S, D or Q. A load writes the whole 128-bit register (the bits above
/// the loaded element become zero); a store takes the low element.
/// </summary>
internal interface IVectorAccess
{
    static abstract Vector128<byte> Load(GuestMemory memory, ulong address);

    static abstract void Store(GuestMemory memory, ulong address, Vector128<byte> value);
}

/// <summary>Bt.</summary>
internal struct VectorByte : IVectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(GuestMemory memory, ulong address) => Vector128.CreateScalar(memory.Read8(address));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, Vector128<byte> value) => memory.Write8(address, value.ToScalar());
}

/// <summary>Ht.</summary>
internal struct VectorHalf : IVectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(GuestMemory memory, ulong address) => Vector128.CreateScalar(memory.Read16(address)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, Vector128<byte> value) => memory.Write16(address, value.AsUInt16().ToScalar());
}

/// <summary>St.</summary>
internal struct VectorSingle : IVectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(GuestMemory memory, ulong address) => Vector128.CreateScalar(memory.Read32(address)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, Vector128<byte> value) => memory.Write32(address, value.AsUInt32().ToScalar());
}

/// <summary>Dt.</summary>
internal struct VectorDouble : IVectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(GuestMemory memory, ulong address) => Vector128.CreateScalar(memory.Read64(address)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, Vector128<byte> value) => memory.Write64(address, value.AsUInt64().ToScalar());
}

/// <summary>Qt.</summary>
internal struct VectorQuad : IVectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(GuestMemory memory, ulong address) => memory.Read128(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(GuestMemory memory, ulong address, Vector128<byte> value) => memory.Write128(address, value);
}
