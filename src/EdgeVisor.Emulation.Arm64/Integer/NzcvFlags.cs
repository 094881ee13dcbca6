using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>NZCV results of integer arithmetic, computed directly from operands and result (no wide arithmetic).</summary>
public static class NzcvFlags
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add64(Arm64Cpu cpu, ulong a, ulong b, ulong result)
    {
        cpu.N = (long)result < 0;
        cpu.Z = result == 0;
        cpu.C = result < a;
        cpu.Vf = (long)((a ^ result) & (b ^ result)) < 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add32(Arm64Cpu cpu, uint a, uint b, uint result)
    {
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = result < a;
        cpu.Vf = (int)((a ^ result) & (b ^ result)) < 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub64(Arm64Cpu cpu, ulong a, ulong b, ulong result)
    {
        cpu.N = (long)result < 0;
        cpu.Z = result == 0;
        cpu.C = a >= b;
        cpu.Vf = (long)((a ^ b) & (a ^ result)) < 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub32(Arm64Cpu cpu, uint a, uint b, uint result)
    {
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = a >= b;
        cpu.Vf = (int)((a ^ b) & (a ^ result)) < 0;
    }

    /// <summary>Add with carry in: carry out when the true sum exceeds the width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWithCarry64(Arm64Cpu cpu, ulong a, ulong b, bool carryIn, ulong result)
    {
        cpu.N = (long)result < 0;
        cpu.Z = result == 0;
        cpu.C = carryIn ? result <= a : result < a;
        cpu.Vf = (long)((a ^ result) & (b ^ result)) < 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWithCarry32(Arm64Cpu cpu, uint a, uint b, bool carryIn, uint result)
    {
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = carryIn ? result <= a : result < a;
        cpu.Vf = (int)((a ^ result) & (b ^ result)) < 0;
    }

    /// <summary>Logical results: N and Z from the result, C and V cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Logical64(Arm64Cpu cpu, ulong result)
    {
        cpu.N = (long)result < 0;
        cpu.Z = result == 0;
        cpu.C = false;
        cpu.Vf = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Logical32(Arm64Cpu cpu, uint result)
    {
        cpu.N = (int)result < 0;
        cpu.Z = result == 0;
        cpu.C = false;
        cpu.Vf = false;
    }
}
