using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.SystemInstructions;

/// <summary>
/// System instructions (1101010100 L op0 op1 CRn CRm op2 Rt) as EL0 under Linux sees them: hints, barriers,
/// MSR (immediate), SYS (cache maintenance) and MRS/MSR (register). What EL0 may not do is undefined.
/// </summary>
internal static unsafe class SystemDecoders
{
    public static bool Decode(uint raw, ref Op op)
    {
        if (((raw >> 22) & 3) != 0)
        {
            return false;
        }

        bool read = ((raw >> 21) & 1) != 0;
        uint op0 = (raw >> 19) & 3;
        uint rt = raw & 31;
        return op0 switch
        {
            0 => !read && rt == 31 && HintBarrierOrPstate(raw, ref op),
            1 => !read && CacheMaintenance(raw, ref op),
            _ => MoveSystemRegister(raw, read, ref op),
        };
    }

    /// <summary>op0 = 0: hints (all execute as NOP: YIELD, WFE, WFI, SEV, BTI, the PAuth hints…), barriers, MSR (immediate).</summary>
    private static bool HintBarrierOrPstate(uint raw, ref Op op)
    {
        uint op1 = (raw >> 16) & 7;
        uint crn = (raw >> 12) & 15;
        uint op2 = (raw >> 5) & 7;
        if (op1 != 3)
        {
            return false; // MSR (immediate) with op1 0 (CFINV, AXFLAG, XAFLAG: FlagM not advertised) and everything EL1-only
        }

        switch (crn)
        {
            case 2:
                op.Handler = &SystemHandlers.Nop;
                return true;
            case 3:
                switch (op2)
                {
                    case 2:
                        op.Handler = &SystemHandlers.ClearExclusive;
                        return true;
                    case 4:
                    case 5:
                        op.Handler = &SystemHandlers.MemoryBarrier; // DSB, DMB (and SSBB/PSSBB, which are DSB encodings)
                        return true;
                    case 6:
                        op.Handler = &SystemHandlers.Nop; // ISB: ending the block is the synchronisation
                        op.Flags |= OpFlags.EndsBlock;
                        return true;
                    default:
                        return false; // SB, TCOMMIT, DSB nXS: not implemented, not advertised
                }

            default:
                return false; // MSR DAIFSet/DAIFClr (EL0 needs SCTLR_EL1.UMA, which Linux leaves clear), SSBS, DIT, TCO: not advertised
        }
    }

    /// <summary>SYS at EL0: DC ZVA, DC CVAU/CVAC/CIVAC/CVAP, IC IVAU; all others are undefined.</summary>
    private static bool CacheMaintenance(uint raw, ref Op op)
    {
        uint op1 = (raw >> 16) & 7;
        uint crn = (raw >> 12) & 15;
        uint crm = (raw >> 8) & 15;
        uint op2 = (raw >> 5) & 7;
        if (op1 != 3 || crn != 7 || op2 != 1)
        {
            return false;
        }

        op.Rn = Reg.ZrSource(raw & 31);
        switch (crm)
        {
            case 4:
                op.Handler = &SystemHandlers.ZeroBlock;
                return true;
            case 5:
                op.Handler = &SystemHandlers.InvalidateInstructionCache;
                op.Flags |= OpFlags.EndsBlock; // the current block may be the code that changed
                return true;
            case 10:
            case 11:
            case 14:
                op.Handler = &SystemHandlers.CleanDataCache;
                return true;
            case 12 when CpuFeatures.Has(CpuFeature.DcCvap):
                op.Handler = &SystemHandlers.CleanDataCache;
                return true;
            default:
                return false;
        }
    }

    /// <summary>MRS/MSR (register) on the table of <see cref="SystemRegisters"/>.</summary>
    private static bool MoveSystemRegister(uint raw, bool read, ref Op op)
    {
        var register = SystemRegisters.Find((raw >> 5) & 0xFFFF);
        if (register is null || (!read && !register.Writable))
        {
            return false;
        }

        if (read)
        {
            op.Rd = Reg.ZrDestination(raw & 31);
            op.Imm = register.Value;
            op.Handler = register.Kind switch
            {
                SystemRegisterKind.Nzcv => &SystemHandlers.ReadNzcv,
                SystemRegisterKind.Fpcr => &SystemHandlers.ReadFpcr,
                SystemRegisterKind.Fpsr => &SystemHandlers.ReadFpsr,
                SystemRegisterKind.TpidrEl0 => &SystemHandlers.ReadTpidr,
                SystemRegisterKind.TpidrroEl0 => &SystemHandlers.ReadTpidrro,
                SystemRegisterKind.Counter => &SystemHandlers.ReadCounter,
                _ => &SystemHandlers.ReadConstant,
            };
            return true;
        }

        op.Rn = Reg.ZrSource(raw & 31);
        switch (register.Kind)
        {
            case SystemRegisterKind.Nzcv:
                op.Handler = &SystemHandlers.WriteNzcv;
                op.Flags |= OpFlags.SetsFlags;
                return true;
            case SystemRegisterKind.Fpcr:
                op.Handler = &SystemHandlers.WriteFpcr;
                return true;
            case SystemRegisterKind.Fpsr:
                op.Handler = &SystemHandlers.WriteFpsr;
                return true;
            case SystemRegisterKind.TpidrEl0:
                op.Handler = &SystemHandlers.WriteTpidr;
                return true;
            default:
                return false;
        }
    }
}
