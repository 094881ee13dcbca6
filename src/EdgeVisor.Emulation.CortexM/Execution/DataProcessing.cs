using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>One ALU operation: combines the first operand with the (already shifted) second one.</summary>
internal interface IAluOperation
{
    /// <summary>Applies the operation; <paramref name="shifterCarry"/> is the carry-out of the second operand's shift.</summary>
    static abstract void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool shifterCarry);
}

/// <summary>
/// Data-processing handlers. Each operation is a struct implementing <see cref="IAluOperation"/>; the
/// operand forms (<see cref="Imm"/>, <see cref="Reg"/>) are generic over it so the JIT emits one
/// specialised handler per (form, operation) pair with no dispatch inside.
/// </summary>
internal static class DataProcessing
{
    /// <summary>Second operand is the immediate in <c>Imm</c>; <c>Extra</c> is the modified-immediate carry (0 keep, 1 clear, 2 set).</summary>
    public static void Imm<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IAluOperation
    {
        bool carry = op.Extra == 0 ? cpu.C : op.Extra == 2;
        T.Apply(cpu, ref op, cpu.R[op.Rn & 15], op.Imm, carry);
    }

    /// <summary>Second operand is Rm shifted by an immediate (<c>Shift</c>, <c>Amount</c>).</summary>
    public static void Reg<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IAluOperation
    {
        bool carry = cpu.C;
        uint b = cpu.R[op.Rm & 15];
        if ((op.Shift | op.Amount) != 0)
        {
            b = Shifter.Shift(b, op.Shift, op.Amount, ref carry);
        }

        T.Apply(cpu, ref op, cpu.R[op.Rn & 15], b, carry);
    }

    /// <summary>LSL/LSR/ASR/ROR Rd, Rn, Rm: Rn shifted by the bottom byte of Rm (a MOV with a register-shifted operand).</summary>
    public static void ShiftByRegister(CortexMCpu cpu, ref Op op)
    {
        bool carry = cpu.C;
        uint result = Shifter.Shift(cpu.R[op.Rn & 15], op.Shift, (int)(cpu.R[op.Rm & 15] & 0xFF), ref carry);
        cpu.R[op.Rd & 15] = result;
        if (op.SetFlags != 0)
        {
            cpu.N = (int)result < 0;
            cpu.Z = result == 0;
            cpu.C = carry;
        }
    }

    /// <summary>ADD PC, Rm (16-bit): a branch to PC + Rm.</summary>
    public static void AddToPc(CortexMCpu cpu, ref Op op) => cpu.BranchWritePC(cpu.R[15] + cpu.R[op.Rm & 15]);

    /// <summary>MOV PC, Rm (16-bit): a branch to Rm.</summary>
    public static void MovToPc(CortexMCpu cpu, ref Op op) => cpu.BranchWritePC(cpu.R[op.Rm & 15]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Logical(CortexMCpu cpu, ref Op op, uint result, bool carry)
    {
        cpu.R[op.Rd & 15] = result;
        if (op.SetFlags != 0)
        {
            cpu.N = (int)result < 0;
            cpu.Z = result == 0;
            cpu.C = carry;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Arithmetic(CortexMCpu cpu, ref Op op, uint a, uint b, bool carryIn)
    {
        if (op.SetFlags == 0)
        {
            cpu.R[op.Rd & 15] = a + b + (carryIn ? 1u : 0u);
            return;
        }

        uint result = Shifter.Add(a, b, carryIn, out bool c, out bool v);
        cpu.R[op.Rd & 15] = result;
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = c;
        cpu.V = v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Compare(CortexMCpu cpu, uint a, uint b, bool carryIn)
    {
        uint result = Shifter.Add(a, b, carryIn, out bool c, out bool v);
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = c;
        cpu.V = v;
    }
}

internal struct AndOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, a & b, c);
}

internal struct BicOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, a & ~b, c);
}

internal struct OrrOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, a | b, c);
}

internal struct OrnOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, a | ~b, c);
}

internal struct EorOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, a ^ b, c);
}

internal struct MovOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, b, c);
}

internal struct MvnOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Logical(cpu, ref op, ~b, c);
}

internal struct TstOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c)
    {
        uint result = a & b;
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = c;
    }
}

internal struct TeqOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c)
    {
        uint result = a ^ b;
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = c;
    }
}

internal struct AddOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Arithmetic(cpu, ref op, a, b, false);
}

internal struct AdcOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Arithmetic(cpu, ref op, a, b, cpu.C);
}

internal struct SubOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Arithmetic(cpu, ref op, a, ~b, true);
}

internal struct SbcOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Arithmetic(cpu, ref op, a, ~b, cpu.C);
}

internal struct RsbOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Arithmetic(cpu, ref op, ~a, b, true);
}

internal struct CmpOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Compare(cpu, a, ~b, true);
}

internal struct CmnOp : IAluOperation
{
    public static void Apply(CortexMCpu cpu, ref Op op, uint a, uint b, bool c) => DataProcessing.Compare(cpu, a, b, false);
}
