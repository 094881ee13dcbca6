using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Addressing;

/// <summary>
/// How a load/store forms its address and updates its base. Implemented by structs so every handler instantiated
/// over a mode is specialised by the JIT: no call, no branch on the mode at run time. The decoder leaves the base in
/// <see cref="Op.Rn"/>, the sign-extended byte offset in <see cref="Op.Imm"/>, the offset register in
/// <see cref="Op.Rm"/> and its shift in <see cref="Op.Amount"/>.
/// </summary>
internal interface IAddressMode
{
    /// <summary>The address the instruction accesses.</summary>
    static abstract ulong Address(Arm64Cpu cpu, ref Op op);

    /// <summary>Updates the base register after the access succeeded (write-back forms only).</summary>
    static abstract void WriteBack(Arm64Cpu cpu, ref Op op, ulong address);
}

/// <summary>[Xn|SP, #imm]: unsigned scaled offset, unscaled offset, unprivileged, no-allocate pairs.</summary>
internal struct BaseOffset : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn] + op.Imm;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}

/// <summary>[Xn|SP, #imm]!: the base becomes the accessed address.</summary>
internal struct PreIndex : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn] + op.Imm;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address) => cpu.X[op.Rn] = address;
}

/// <summary>[Xn|SP], #imm: access at the base, then add the offset to it.</summary>
internal struct PostIndex : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address) => cpu.X[op.Rn] = address + op.Imm;
}

/// <summary>[Xn|SP, Xm{, LSL|SXTX #s}]: a 64-bit offset register (UXTX and SXTX leave 64 bits unchanged).</summary>
internal struct RegisterOffset : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn] + (cpu.X[op.Rm] << op.Amount);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}

/// <summary>[Xn|SP, Wm, UXTW {#s}].</summary>
internal struct UnsignedWordOffset : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn] + ((ulong)(uint)cpu.X[op.Rm] << op.Amount);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}

/// <summary>[Xn|SP, Wm, SXTW {#s}].</summary>
internal struct SignedWordOffset : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn] + ((ulong)(long)(int)cpu.X[op.Rm] << op.Amount);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}

/// <summary>PC-relative literal: the decoder precomputed the absolute address into <see cref="Op.Imm"/>.</summary>
internal struct Literal : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => op.Imm;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}

/// <summary>[Xn|SP] with no offset: exclusives, acquire/release, atomics, structure loads without write-back.</summary>
internal struct BaseOnly : IAddressMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rn];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBack(Arm64Cpu cpu, ref Op op, ulong address)
    {
    }
}
