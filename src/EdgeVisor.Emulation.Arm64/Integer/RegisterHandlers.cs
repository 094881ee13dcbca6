using System.Numerics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Handlers for logical and add/subtract with a shifted or extended register. Generic over the operation, shift and
/// extend structs: each instantiation the decoder picks is a separate, fully specialised method.
/// The shift or extend amount is in <see cref="Op.Amount"/>.
/// </summary>
internal static class RegisterHandlers
{
    public static void MoveRegister64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rm];

    public static void MoveRegister32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Rm];

    public static void Logical64<TOperation, TShift>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ILogicalOperation
        where TShift : struct, IShift
        => cpu.X[op.Rd] = TOperation.Apply(cpu.X[op.Rn], TShift.Apply64(cpu.X[op.Rm], op.Amount));

    public static void Logical32<TOperation, TShift>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ILogicalOperation
        where TShift : struct, IShift
        => cpu.X[op.Rd] = (uint)TOperation.Apply(cpu.X[op.Rn], TShift.Apply32((uint)cpu.X[op.Rm], op.Amount));

    public static void LogicalFlags64<TOperation, TShift>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ILogicalOperation
        where TShift : struct, IShift
    {
        ulong result = TOperation.Apply(cpu.X[op.Rn], TShift.Apply64(cpu.X[op.Rm], op.Amount));
        NzcvFlags.Logical64(cpu, result);
        cpu.X[op.Rd] = result;
    }

    public static void LogicalFlags32<TOperation, TShift>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ILogicalOperation
        where TShift : struct, IShift
    {
        uint result = (uint)TOperation.Apply(cpu.X[op.Rn], TShift.Apply32((uint)cpu.X[op.Rm], op.Amount));
        NzcvFlags.Logical32(cpu, result);
        cpu.X[op.Rd] = result;
    }

    public static void Add64<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
        => cpu.X[op.Rd] = cpu.X[op.Rn] + TShift.Apply64(cpu.X[op.Rm], op.Amount);

    public static void Sub64<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
        => cpu.X[op.Rd] = cpu.X[op.Rn] - TShift.Apply64(cpu.X[op.Rm], op.Amount);

    public static void Add32<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
        => cpu.X[op.Rd] = (uint)cpu.X[op.Rn] + TShift.Apply32((uint)cpu.X[op.Rm], op.Amount);

    public static void Sub32<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
        => cpu.X[op.Rd] = (uint)cpu.X[op.Rn] - TShift.Apply32((uint)cpu.X[op.Rm], op.Amount);

    public static void Adds64<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
    {
        ulong a = cpu.X[op.Rn];
        ulong b = TShift.Apply64(cpu.X[op.Rm], op.Amount);
        ulong result = a + b;
        NzcvFlags.Add64(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void Subs64<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
    {
        ulong a = cpu.X[op.Rn];
        ulong b = TShift.Apply64(cpu.X[op.Rm], op.Amount);
        ulong result = a - b;
        NzcvFlags.Sub64(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void Adds32<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
    {
        uint a = (uint)cpu.X[op.Rn];
        uint b = TShift.Apply32((uint)cpu.X[op.Rm], op.Amount);
        uint result = a + b;
        NzcvFlags.Add32(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void Subs32<TShift>(Arm64Cpu cpu, ref Op op)
        where TShift : struct, IShift
    {
        uint a = (uint)cpu.X[op.Rn];
        uint b = TShift.Apply32((uint)cpu.X[op.Rm], op.Amount);
        uint result = a - b;
        NzcvFlags.Sub32(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void AddExtended64<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
        => cpu.X[op.Rd] = cpu.X[op.Rn] + (TExtend.Apply(cpu.X[op.Rm]) << op.Amount);

    public static void SubExtended64<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
        => cpu.X[op.Rd] = cpu.X[op.Rn] - (TExtend.Apply(cpu.X[op.Rm]) << op.Amount);

    public static void AddExtended32<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
        => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] + (TExtend.Apply(cpu.X[op.Rm]) << op.Amount));

    public static void SubExtended32<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
        => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] - (TExtend.Apply(cpu.X[op.Rm]) << op.Amount));

    public static void AddsExtended64<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
    {
        ulong a = cpu.X[op.Rn];
        ulong b = TExtend.Apply(cpu.X[op.Rm]) << op.Amount;
        ulong result = a + b;
        NzcvFlags.Add64(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void SubsExtended64<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
    {
        ulong a = cpu.X[op.Rn];
        ulong b = TExtend.Apply(cpu.X[op.Rm]) << op.Amount;
        ulong result = a - b;
        NzcvFlags.Sub64(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void AddsExtended32<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
    {
        uint a = (uint)cpu.X[op.Rn];
        uint b = (uint)(TExtend.Apply(cpu.X[op.Rm]) << op.Amount);
        uint result = a + b;
        NzcvFlags.Add32(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void SubsExtended32<TExtend>(Arm64Cpu cpu, ref Op op)
        where TExtend : struct, IExtend
    {
        uint a = (uint)cpu.X[op.Rn];
        uint b = (uint)(TExtend.Apply(cpu.X[op.Rm]) << op.Amount);
        uint result = a - b;
        NzcvFlags.Sub32(cpu, a, b, result);
        cpu.X[op.Rd] = result;
    }

    public static void AddCarry64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] + cpu.X[op.Rm] + (cpu.C ? 1UL : 0);

    public static void SubCarry64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] + ~cpu.X[op.Rm] + (cpu.C ? 1UL : 0);

    public static void AddCarry32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] + cpu.X[op.Rm] + (cpu.C ? 1UL : 0));

    public static void SubCarry32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] + ~cpu.X[op.Rm] + (cpu.C ? 1UL : 0));

    public static void AddCarryFlags64(Arm64Cpu cpu, ref Op op) => AddWithCarry64(cpu, ref op, cpu.X[op.Rm]);

    public static void SubCarryFlags64(Arm64Cpu cpu, ref Op op) => AddWithCarry64(cpu, ref op, ~cpu.X[op.Rm]);

    public static void AddCarryFlags32(Arm64Cpu cpu, ref Op op) => AddWithCarry32(cpu, ref op, (uint)cpu.X[op.Rm]);

    public static void SubCarryFlags32(Arm64Cpu cpu, ref Op op) => AddWithCarry32(cpu, ref op, ~(uint)cpu.X[op.Rm]);

    private static void AddWithCarry64(Arm64Cpu cpu, ref Op op, ulong b)
    {
        ulong a = cpu.X[op.Rn];
        bool carry = cpu.C;
        ulong result = a + b + (carry ? 1UL : 0);
        NzcvFlags.AddWithCarry64(cpu, a, b, carry, result);
        cpu.X[op.Rd] = result;
    }

    private static void AddWithCarry32(Arm64Cpu cpu, ref Op op, uint b)
    {
        uint a = (uint)cpu.X[op.Rn];
        bool carry = cpu.C;
        uint result = a + b + (carry ? 1u : 0);
        NzcvFlags.AddWithCarry32(cpu, a, b, carry, result);
        cpu.X[op.Rd] = result;
    }
}
