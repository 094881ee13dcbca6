using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Pair;

/// <summary>
/// The register pair shape of an LDP/STP form: Rt in <see cref="Op.Rd"/>, Rt2 in <see cref="Op.Ra"/>. Loads read
/// both values before writing either register, and stores fail before writing anything, so a faulting pair changes
/// no register and (for stores) no memory. Loads write Rt2 before Rt, so an LDP with Rt = Rt2 (constrained
/// unpredictable) keeps the first value, as QEMU and Unicorn do.
/// </summary>
internal interface IPairAccess
{
    static abstract void Load(Arm64Cpu cpu, ref Op op, ulong address);

    static abstract void Store(Arm64Cpu cpu, ref Op op, ulong address);
}

/// <summary>Two W registers, one 8-byte access.</summary>
internal struct WordPair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        ulong both = cpu.Memory.Read64(address);
        cpu.X[op.Ra] = both >> 32;
        cpu.X[op.Rd] = (uint)both;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Arm64Cpu cpu, ref Op op, ulong address) =>
        cpu.Memory.Write64(address, (uint)cpu.X[op.Rd] | (cpu.X[op.Ra] << 32));
}

/// <summary>LDPSW: two words, each sign-extended to 64 bits.</summary>
internal struct SignedWordPair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        ulong both = cpu.Memory.Read64(address);
        cpu.X[op.Ra] = (ulong)(int)(uint)(both >> 32);
        cpu.X[op.Rd] = (ulong)(int)(uint)both;
    }

    public static void Store(Arm64Cpu cpu, ref Op op, ulong address) => throw new InvalidOperationException("LDPSW has no store form");
}

/// <summary>Two X registers, one 16-byte access.</summary>
internal struct DoublewordPair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        var both = cpu.Memory.Read128(address).AsUInt64();
        cpu.X[op.Ra] = both.GetElement(1);
        cpu.X[op.Rd] = both.GetElement(0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Arm64Cpu cpu, ref Op op, ulong address) =>
        cpu.Memory.Write128(address, Vector128.Create(cpu.X[op.Rd], cpu.X[op.Ra]).AsByte());
}

/// <summary>Two S registers.</summary>
internal struct SinglePair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        ulong both = cpu.Memory.Read64(address);
        cpu.V[op.Ra] = Vector128.CreateScalar((uint)(both >> 32)).AsByte();
        cpu.V[op.Rd] = Vector128.CreateScalar((uint)both).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Arm64Cpu cpu, ref Op op, ulong address) =>
        cpu.Memory.Write64(address, cpu.V[op.Rd].AsUInt32().ToScalar() | ((ulong)cpu.V[op.Ra].AsUInt32().ToScalar() << 32));
}

/// <summary>Two D registers.</summary>
internal struct DoublePair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        var both = cpu.Memory.Read128(address).AsUInt64();
        cpu.V[op.Ra] = Vector128.CreateScalar(both.GetElement(1)).AsByte();
        cpu.V[op.Rd] = Vector128.CreateScalar(both.GetElement(0)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Arm64Cpu cpu, ref Op op, ulong address) =>
        cpu.Memory.Write128(address, Vector128.Create(cpu.V[op.Rd].AsUInt64().ToScalar(), cpu.V[op.Ra].AsUInt64().ToScalar()).AsByte());
}

/// <summary>Two Q registers: 32 bytes, checked as a whole before a store writes either half.</summary>
internal struct QuadPair : IPairAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(Arm64Cpu cpu, ref Op op, ulong address)
    {
        var first = cpu.Memory.Read128(address);
        var second = cpu.Memory.Read128(address + 16);
        cpu.V[op.Ra] = second;
        cpu.V[op.Rd] = first;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Arm64Cpu cpu, ref Op op, ulong address)
    {
        WriteChecks.EnsureWritable(cpu.Memory, address, 32);
        cpu.Memory.Write128(address, cpu.V[op.Rd]);
        cpu.Memory.Write128(address + 16, cpu.V[op.Ra]);
    }
}
