using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Branches: B, BL, BX, BLX, CBZ/CBNZ, TBB/TBH. Every one ends its block.</summary>
internal static class Branches
{
    /// <summary>B / B&lt;c&gt;: <c>Imm</c> = target (the loop already tested the condition).</summary>
    public static void Branch(CortexMCpu cpu, ref Op op) => cpu.BranchWritePC(op.Imm);

    /// <summary>BL: LR = return address | 1.</summary>
    public static void BranchLink(CortexMCpu cpu, ref Op op)
    {
        cpu.R[14] = (op.Address + 4) | 1;
        cpu.BranchWritePC(op.Imm);
    }

    public static void BranchExchange(CortexMCpu cpu, ref Op op) => cpu.BxWritePC(cpu.R[op.Rm & 15]);

    public static void BranchLinkExchange(CortexMCpu cpu, ref Op op)
    {
        uint target = cpu.R[op.Rm & 15];
        cpu.R[14] = (op.Address + 2) | 1;
        cpu.BxWritePC(target);
    }

    /// <summary>CBZ (<c>Extra</c> 0) / CBNZ (1): branch to <c>Imm</c> when Rn is (non)zero.</summary>
    public static void CompareBranch(CortexMCpu cpu, ref Op op)
    {
        if ((cpu.R[op.Rn & 15] == 0) != (op.Extra != 0))
        {
            cpu.BranchWritePC(op.Imm);
        }
    }

    /// <summary>TBB [Rn, Rm] / TBH [Rn, Rm, LSL #1] (<c>Extra</c> 1): branch forward by twice the table entry.</summary>
    public static void TableBranch(CortexMCpu cpu, ref Op op)
    {
        uint b = cpu.R[op.Rn & 15];
        uint m = cpu.R[op.Rm & 15];
        uint entry = op.Extra != 0 ? cpu.ReadHalf(b + (m << 1)) : cpu.ReadByte(b + m);
        cpu.BranchWritePC(cpu.R[15] + (entry * 2));
    }
}
