using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Branches;

/// <summary>
/// Branch handlers. The run loop has already set <see cref="Arm64Cpu.Pc"/> to the fall-through address, so a branch
/// not taken does nothing. Targets of immediate forms are in <see cref="Op.Imm"/>.
/// </summary>
internal static class BranchHandlers
{
    public static void Branch(Arm64Cpu cpu, ref Op op) => cpu.Pc = op.Imm;

    public static void BranchAndLink(Arm64Cpu cpu, ref Op op)
    {
        cpu.X[30] = op.Address + 4;
        cpu.Pc = op.Imm;
    }

    public static void CompareBranchZero64(Arm64Cpu cpu, ref Op op)
    {
        if (cpu.X[op.Rn] == 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    public static void CompareBranchNonZero64(Arm64Cpu cpu, ref Op op)
    {
        if (cpu.X[op.Rn] != 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    public static void CompareBranchZero32(Arm64Cpu cpu, ref Op op)
    {
        if ((uint)cpu.X[op.Rn] == 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    public static void CompareBranchNonZero32(Arm64Cpu cpu, ref Op op)
    {
        if ((uint)cpu.X[op.Rn] != 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    public static void TestBranchZero(Arm64Cpu cpu, ref Op op)
    {
        if (((cpu.X[op.Rn] >> op.Amount) & 1) == 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    public static void TestBranchNonZero(Arm64Cpu cpu, ref Op op)
    {
        if (((cpu.X[op.Rn] >> op.Amount) & 1) != 0)
        {
            cpu.Pc = op.Imm;
        }
    }

    /// <summary>BR, RET.</summary>
    public static void BranchToRegister(Arm64Cpu cpu, ref Op op) => cpu.Pc = cpu.X[op.Rn];

    /// <summary>BLR: the target is read before X30 is written (BLR X30 jumps to the old X30).</summary>
    public static void BranchAndLinkToRegister(Arm64Cpu cpu, ref Op op)
    {
        ulong target = cpu.X[op.Rn];
        cpu.X[30] = op.Address + 4;
        cpu.Pc = target;
    }
}
