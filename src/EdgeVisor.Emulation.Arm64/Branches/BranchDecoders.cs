using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Branches;

/// <summary>
/// Decoders for branches and exception-generating instructions. Targets of immediate branches are absolute
/// addresses computed here; every op ends its block.
/// </summary>
internal static unsafe class BranchDecoders
{
    /// <summary>B, BL.</summary>
    public static bool Immediate(uint raw, ref Op op)
    {
        op.Imm = op.Address + (ulong)(((long)((ulong)raw << 38)) >> 36); // imm26 * 4, sign-extended
        op.Handler = (raw >> 31) != 0 ? &BranchHandlers.BranchAndLink : &BranchHandlers.Branch;
        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    /// <summary>CBZ, CBNZ.</summary>
    public static bool CompareAndBranch(uint raw, ref Op op)
    {
        op.Imm = Imm19Target(raw, op.Address);
        op.Rn = Reg.ZrSource(raw & 31);
        bool nonZero = ((raw >> 24) & 1) != 0;
        op.Handler = ((raw >> 31) != 0, nonZero) switch
        {
            (true, false) => &BranchHandlers.CompareBranchZero64,
            (true, true) => &BranchHandlers.CompareBranchNonZero64,
            (false, false) => &BranchHandlers.CompareBranchZero32,
            (false, true) => &BranchHandlers.CompareBranchNonZero32,
        };
        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    /// <summary>TBZ, TBNZ: the tested bit is b5:b40.</summary>
    public static bool TestAndBranch(uint raw, ref Op op)
    {
        op.Imm = op.Address + (ulong)(((long)((ulong)((raw >> 5) & 0x3FFF) << 50)) >> 48);
        op.Rn = Reg.ZrSource(raw & 31);
        op.Amount = (byte)(((raw >> 26) & 0x20) | ((raw >> 19) & 0x1F));
        op.Handler = ((raw >> 24) & 1) != 0 ? &BranchHandlers.TestBranchNonZero : &BranchHandlers.TestBranchZero;
        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    /// <summary>B.cond (BC.cond, bit 4 set, needs FEAT_HBC: undefined).</summary>
    public static bool Conditional(uint raw, ref Op op)
    {
        if (((raw >> 24) & 1) != 0 || ((raw >> 4) & 1) != 0)
        {
            return false;
        }

        op.Imm = Imm19Target(raw, op.Address);
        op.Cond = (byte)(raw & 0xF);
        op.Handler = ConditionalBranches.For(op.Cond); // AL and NV both always branch
        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    /// <summary>BR, BLR, RET. The PAuth forms, ERET and DRPS are undefined (PAuth is not advertised; EL0 cannot return from exceptions).</summary>
    public static bool Register(uint raw, ref Op op)
    {
        // 1101011 opc(4) op2(5)=11111 op3(6)=000000 Rn op4(5)=00000
        if ((raw & 0x001F_FC1F) != 0x001F_0000)
        {
            return false;
        }

        op.Rn = Reg.ZrSource((raw >> 5) & 31);
        switch ((raw >> 21) & 0xF)
        {
            case 0b0000:
            case 0b0010:
                op.Handler = &BranchHandlers.BranchToRegister; // BR, RET
                break;
            case 0b0001:
                op.Handler = &BranchHandlers.BranchAndLinkToRegister;
                break;
            default:
                return false;
        }

        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    /// <summary>SVC, BRK, HLT. HVC, SMC and DCPSn are undefined at EL0.</summary>
    public static bool ExceptionGeneration(uint raw, ref Op op)
    {
        uint opc = (raw >> 21) & 7;
        uint op2 = (raw >> 2) & 7;
        uint ll = raw & 3;
        if (op2 != 0)
        {
            return false;
        }

        op.Imm = (raw >> 5) & 0xFFFF;
        switch (opc, ll)
        {
            case (0b000, 0b01):
                op.Handler = &ExceptionHandlers.SupervisorCall;
                break;
            case (0b001, 0b00):
                op.Handler = &ExceptionHandlers.Breakpoint;
                break;
            case (0b010, 0b00):
                op.Handler = &ExceptionHandlers.Halt;
                break;
            default:
                return false;
        }

        op.Flags |= OpFlags.EndsBlock;
        return true;
    }

    private static ulong Imm19Target(uint raw, ulong address) => address + (ulong)(((long)((ulong)((raw >> 5) & 0x7FFFF) << 45)) >> 43);
}
