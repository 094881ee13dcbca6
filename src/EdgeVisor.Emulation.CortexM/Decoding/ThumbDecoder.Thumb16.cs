using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>16-bit Thumb encodings (ARMv6-M and ARMv7-M), ARM ARM v7-M section A5.2.</summary>
public static unsafe partial class ThumbDecoder
{
    /// <summary>Fills <paramref name="op"/> for a 16-bit instruction; returns true if the block must end after it.</summary>
    private static bool Decode16(CortexMModel model, ref Op op, uint hw, uint it, ref uint nextIt)
    {
        byte setFlags = it == 0 ? (byte)1 : (byte)0;
        uint low3 = hw & 7;
        uint mid3 = (hw >> 3) & 7;
        switch (hw >> 12)
        {
            case 0b0000:
            case 0b0001:
                return ShiftAddSubtract(ref op, hw, setFlags);
            case 0b0010:
            case 0b0011:
                {
                    // MOV/CMP/ADD/SUB Rdn, #imm8
                    op.Rd = op.Rn = (byte)((hw >> 8) & 7);
                    op.Imm = hw & 0xFF;
                    op.SetFlags = setFlags;
                    return ((hw >> 11) & 3) switch
                    {
                        0 => Set(ref op, &DataProcessing.Imm<MovOp>),
                        1 => Set(ref op, &DataProcessing.Imm<CmpOp>),
                        2 => Set(ref op, &DataProcessing.Imm<AddOp>),
                        _ => Set(ref op, &DataProcessing.Imm<SubOp>),
                    };
                }

            case 0b0100:
                if ((hw & 0x0800) != 0)
                {
                    // LDR Rt, [PC, #imm8*4]
                    op.Rd = (byte)((hw >> 8) & 7);
                    op.Imm = ((op.Address + 4) & ~3u) + ((hw & 0xFF) << 2);
                    return Set(ref op, &LoadStore.LoadLiteral<WordAccess>);
                }

                return (hw & 0x0400) == 0 ? RegisterDataProcessing(ref op, hw, setFlags) : SpecialDataAndBranch(ref op, hw, it);
            case 0b0101:
                {
                    // Load/store register offset.
                    op.Rd = (byte)low3;
                    op.Rn = (byte)mid3;
                    op.Rm = (byte)((hw >> 6) & 7);
                    return ((hw >> 9) & 7) switch
                    {
                        0 => Set(ref op, &LoadStore.StoreReg<WordAccess>),
                        1 => Set(ref op, &LoadStore.StoreReg<HalfAccess>),
                        2 => Set(ref op, &LoadStore.StoreReg<ByteAccess>),
                        3 => Set(ref op, &LoadStore.LoadReg<SignedByteAccess>),
                        4 => Set(ref op, &LoadStore.LoadReg<WordAccess>),
                        5 => Set(ref op, &LoadStore.LoadReg<HalfAccess>),
                        6 => Set(ref op, &LoadStore.LoadReg<ByteAccess>),
                        _ => Set(ref op, &LoadStore.LoadReg<SignedHalfAccess>),
                    };
                }

            case 0b0110:
            case 0b0111:
            case 0b1000:
                {
                    op.Rd = (byte)low3;
                    op.Rn = (byte)mid3;
                    uint imm5 = (hw >> 6) & 0x1F;
                    bool load = (hw & 0x0800) != 0;
                    switch (hw >> 12)
                    {
                        case 0b0110:
                            op.Imm = imm5 << 2;
                            return Set(ref op, load ? &LoadStore.LoadImm<WordAccess> : &LoadStore.StoreImm<WordAccess>);
                        case 0b0111:
                            op.Imm = imm5;
                            return Set(ref op, load ? &LoadStore.LoadImm<ByteAccess> : &LoadStore.StoreImm<ByteAccess>);
                        default:
                            op.Imm = imm5 << 1;
                            return Set(ref op, load ? &LoadStore.LoadImm<HalfAccess> : &LoadStore.StoreImm<HalfAccess>);
                    }
                }

            case 0b1001:
                // LDR/STR Rt, [SP, #imm8*4]
                op.Rd = (byte)((hw >> 8) & 7);
                op.Rn = 13;
                op.Imm = (hw & 0xFF) << 2;
                return Set(ref op, (hw & 0x0800) != 0 ? &LoadStore.LoadImm<WordAccess> : &LoadStore.StoreImm<WordAccess>);
            case 0b1010:
                op.Rd = (byte)((hw >> 8) & 7);
                if ((hw & 0x0800) == 0)
                {
                    // ADR: the address is known now.
                    op.Imm = ((op.Address + 4) & ~3u) + ((hw & 0xFF) << 2);
                    return Set(ref op, &DataProcessing.Imm<MovOp>);
                }

                op.Rn = 13;
                op.Imm = (hw & 0xFF) << 2;
                return Set(ref op, &DataProcessing.Imm<AddOp>);
            case 0b1011:
                return Miscellaneous16(model, ref op, hw, it, ref nextIt);
            case 0b1100:
                {
                    // STMIA / LDMIA Rn!, {list}: LDM writes back only when Rn is not in the list.
                    op.Rn = (byte)((hw >> 8) & 7);
                    op.Imm = hw & 0xFF;
                    bool load = (hw & 0x0800) != 0;
                    op.Extra = !load || (op.Imm & (1u << op.Rn)) == 0 ? LoadStore.Writeback : (byte)0;
                    return op.Imm == 0 ? SetUndefined(ref op) : Set(ref op, load ? &LoadStore.LoadMultiple : &LoadStore.StoreMultiple);
                }

            case 0b1101:
                {
                    uint cond = (hw >> 8) & 0xF;
                    if (cond == 0xF)
                    {
                        op.Imm = hw & 0xFF;
                        return SetEnd(ref op, &SystemOps.Svc);
                    }

                    if (cond == 0xE || it != 0)
                    {
                        // UDF, or a conditional branch inside an IT block.
                        return SetUndefined(ref op);
                    }

                    op.Cond = (byte)cond;
                    op.Imm = op.Address + 4 + SignExtend((hw & 0xFF) << 1, 9);
                    return SetEnd(ref op, &Branches.Branch);
                }

            default:
                // 0b1110: unconditional branch (0b11101 is a 32-bit prefix and never reaches here).
                op.Imm = op.Address + 4 + SignExtend((hw & 0x7FF) << 1, 12);
                return SetBranch(ref op, &Branches.Branch);
        }
    }

    private static bool ShiftAddSubtract(ref Op op, uint hw, byte setFlags)
    {
        op.Rd = (byte)(hw & 7);
        op.Rn = op.Rm = (byte)((hw >> 3) & 7);
        op.SetFlags = setFlags;
        uint opcode = (hw >> 11) & 3;
        if (opcode != 3)
        {
            // LSL/LSR/ASR Rd, Rm, #imm5 (MOV with a shifted register).
            ImmShift(ref op, opcode, (hw >> 6) & 0x1F);
            return Set(ref op, &DataProcessing.Reg<MovOp>);
        }

        uint field = (hw >> 6) & 7;
        op.Rm = (byte)field;
        op.Imm = field;
        return ((hw >> 9) & 3) switch
        {
            0 => Set(ref op, &DataProcessing.Reg<AddOp>),
            1 => Set(ref op, &DataProcessing.Reg<SubOp>),
            2 => Set(ref op, &DataProcessing.Imm<AddOp>),
            _ => Set(ref op, &DataProcessing.Imm<SubOp>),
        };
    }

    private static bool RegisterDataProcessing(ref Op op, uint hw, byte setFlags)
    {
        op.Rd = op.Rn = (byte)(hw & 7);
        op.Rm = (byte)((hw >> 3) & 7);
        op.SetFlags = setFlags;
        switch ((hw >> 6) & 0xF)
        {
            case 0x0: return Set(ref op, &DataProcessing.Reg<AndOp>);
            case 0x1: return Set(ref op, &DataProcessing.Reg<EorOp>);
            case 0x2: op.Shift = ShiftType.Lsl; return Set(ref op, &DataProcessing.ShiftByRegister);
            case 0x3: op.Shift = ShiftType.Lsr; return Set(ref op, &DataProcessing.ShiftByRegister);
            case 0x4: op.Shift = ShiftType.Asr; return Set(ref op, &DataProcessing.ShiftByRegister);
            case 0x5: return Set(ref op, &DataProcessing.Reg<AdcOp>);
            case 0x6: return Set(ref op, &DataProcessing.Reg<SbcOp>);
            case 0x7: op.Shift = ShiftType.Ror; return Set(ref op, &DataProcessing.ShiftByRegister);
            case 0x8: return Set(ref op, &DataProcessing.Reg<TstOp>);
            case 0x9:
                // RSB Rd, Rn, #0
                op.Rn = op.Rm;
                op.Imm = 0;
                return Set(ref op, &DataProcessing.Imm<RsbOp>);
            case 0xA: return Set(ref op, &DataProcessing.Reg<CmpOp>);
            case 0xB: return Set(ref op, &DataProcessing.Reg<CmnOp>);
            case 0xC: return Set(ref op, &DataProcessing.Reg<OrrOp>);
            case 0xD:
                op.Rn = op.Rm;
                op.Rm = op.Rd;
                return Set(ref op, &Multiply.Mul);
            case 0xE: return Set(ref op, &DataProcessing.Reg<BicOp>);
            default: return Set(ref op, &DataProcessing.Reg<MvnOp>);
        }
    }

    private static bool SpecialDataAndBranch(ref Op op, uint hw, uint it)
    {
        uint rdn = (hw & 7) | ((hw >> 4) & 8);
        uint rm = (hw >> 3) & 0xF;
        op.Rd = op.Rn = (byte)rdn;
        op.Rm = (byte)rm;
        switch ((hw >> 8) & 3)
        {
            case 0:
                return rdn == 15 ? SetBranch(ref op, &DataProcessing.AddToPc) : Set(ref op, &DataProcessing.Reg<AddOp>);
            case 1:
                op.SetFlags = 1;
                return Set(ref op, &DataProcessing.Reg<CmpOp>);
            case 2:
                return rdn == 15 ? SetBranch(ref op, &DataProcessing.MovToPc) : Set(ref op, &DataProcessing.Reg<MovOp>);
            default:
                if ((hw & 7) != 0)
                {
                    return SetUndefined(ref op);
                }

                return SetBranch(ref op, (hw & 0x80) != 0 ? &Branches.BranchLinkExchange : &Branches.BranchExchange);
        }
    }

    private static bool Miscellaneous16(CortexMModel model, ref Op op, uint hw, uint it, ref uint nextIt)
    {
        uint low3 = hw & 7;
        uint mid3 = (hw >> 3) & 7;
        switch ((hw >> 8) & 0xF)
        {
            case 0b0000:
                // ADD/SUB SP, SP, #imm7*4
                op.Rd = op.Rn = 13;
                op.Imm = (hw & 0x7F) << 2;
                return Set(ref op, (hw & 0x80) != 0 ? &DataProcessing.Imm<SubOp> : &DataProcessing.Imm<AddOp>);
            case 0b0001:
            case 0b0011:
            case 0b1001:
            case 0b1011:
                // CBZ/CBNZ: not on ARMv6-M, not inside IT.
                if (!model.HasThumb2 || it != 0)
                {
                    return SetUndefined(ref op);
                }

                op.Rn = (byte)low3;
                op.Extra = (byte)((hw >> 11) & 1);
                op.Imm = op.Address + 4 + ((((hw >> 9) & 1) << 6) | (((hw >> 3) & 0x1F) << 1));
                return SetEnd(ref op, &Branches.CompareBranch);
            case 0b0010:
                op.Rd = (byte)low3;
                op.Rm = (byte)mid3;
                op.Rn = 15;
                op.Extra = ((hw >> 6) & 3) switch { 0 => 1, 1 => 0, 2 => 3, _ => 2 };
                return Set(ref op, &BitManipulation.Extend);
            case 0b0100:
            case 0b0101:
                // PUSH {list, LR}
                op.Rn = 13;
                op.Imm = (hw & 0xFF) | ((hw & 0x100) << 6);
                op.Amount = 1;
                op.Extra = LoadStore.Writeback;
                return op.Imm == 0 ? SetUndefined(ref op) : Set(ref op, &LoadStore.StoreMultiple);
            case 0b1100:
            case 0b1101:
                // POP {list, PC}
                op.Rn = 13;
                op.Imm = (hw & 0xFF) | ((hw & 0x100) << 7);
                op.Extra = LoadStore.Writeback;
                if (op.Imm == 0)
                {
                    return SetUndefined(ref op);
                }

                return (op.Imm & 0x8000) != 0 ? SetBranch(ref op, &LoadStore.LoadMultiple) : Set(ref op, &LoadStore.LoadMultiple);
            case 0b0110:
                if ((hw & 0xFFE8) != 0xB660)
                {
                    return SetUndefined(ref op);
                }

                op.Extra = (byte)((hw >> 4) & 1);
                op.Amount = (byte)(hw & 3);
                return SetEnd(ref op, &SystemOps.Cps);
            case 0b1010:
                op.Rd = (byte)low3;
                op.Rm = (byte)mid3;
                return ((hw >> 6) & 3) switch
                {
                    0 => Set(ref op, &BitManipulation.Rev),
                    1 => Set(ref op, &BitManipulation.Rev16),
                    3 => Set(ref op, &BitManipulation.Revsh),
                    _ => SetUndefined(ref op),
                };
            case 0b1110:
                op.Imm = hw & 0xFF;
                return SetEnd(ref op, &SystemOps.Bkpt);
            case 0b1111:
                return IfThenOrHint(model, ref op, hw, it, ref nextIt);
            default:
                return SetUndefined(ref op);
        }
    }

    private static bool IfThenOrHint(CortexMModel model, ref Op op, uint hw, uint it, ref uint nextIt)
    {
        uint mask = hw & 0xF;
        if (mask != 0)
        {
            uint firstCond = (hw >> 4) & 0xF;
            bool valid = model.HasThumb2 && it == 0 && firstCond != 0xF && (firstCond != 0xE || System.Numerics.BitOperations.PopCount(mask) == 1);
            if (!valid)
            {
                return SetUndefined(ref op);
            }

            nextIt = hw & 0xFF;
            return Set(ref op, &SystemOps.Nop);
        }

        return ((hw >> 4) & 0xF) switch
        {
            0 => Set(ref op, &SystemOps.Nop),
            1 => Set(ref op, &SystemOps.Nop),
            2 => SetEnd(ref op, &SystemOps.Wfe),
            3 => SetEnd(ref op, &SystemOps.Wfi),
            4 => SetEnd(ref op, &SystemOps.Sev),
            _ => Set(ref op, &SystemOps.Nop),
        };
    }
}
