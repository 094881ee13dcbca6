using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>32-bit branches and miscellaneous control (A5.3.4).</summary>
public static unsafe partial class ThumbDecoder
{
    private static bool BranchesAndControl(CortexMModel model, ref Op op, uint hw1, uint hw2)
    {
        uint op1 = (hw2 >> 12) & 7;
        uint opcode = (hw1 >> 4) & 0x7F;
        uint s = (hw1 >> 10) & 1;
        uint j1 = (hw2 >> 13) & 1;
        uint j2 = (hw2 >> 11) & 1;

        if ((op1 & 5) == 5)
        {
            // BL: exists on every M profile.
            op.Imm = op.Address + 4 + LongBranchOffset(hw1, hw2, s, j1, j2);
            return SetBranch(ref op, &Branches.BranchLink);
        }

        if ((op1 & 5) == 1)
        {
            if (!model.HasThumb2)
            {
                return SetUndefined(ref op);
            }

            op.Imm = op.Address + 4 + LongBranchOffset(hw1, hw2, s, j1, j2);
            return SetBranch(ref op, &Branches.Branch);
        }

        if ((op1 & 5) != 0)
        {
            return SetUndefined(ref op);
        }

        if ((opcode & 0x38) != 0x38)
        {
            // B<c>.W: conditional, outside IT only.
            if (!model.HasThumb2 || op.ItState != 0)
            {
                return SetUndefined(ref op);
            }

            op.Cond = (byte)((hw1 >> 6) & 0xF);
            uint offset = (s << 20) | (j2 << 19) | (j1 << 18) | ((hw1 & 0x3F) << 12) | ((hw2 & 0x7FF) << 1);
            op.Imm = op.Address + 4 + SignExtend(offset, 21);
            return SetEnd(ref op, &Branches.Branch);
        }

        switch (opcode)
        {
            case 0x38:
            case 0x39:
                op.Rn = (byte)(hw1 & 0xF);
                op.Imm = hw2 & 0xFF;
                op.Amount = (byte)((hw2 >> 10) & 3);
                return SetEnd(ref op, &SystemOps.Msr);
            case 0x3A:
                if (!model.HasThumb2 || (hw2 & 0x700) != 0)
                {
                    return SetUndefined(ref op);
                }

                return (hw2 & 0xFF) switch
                {
                    0 or 1 => Set(ref op, &SystemOps.Nop),
                    2 => SetEnd(ref op, &SystemOps.Wfe),
                    3 => SetEnd(ref op, &SystemOps.Wfi),
                    4 => SetEnd(ref op, &SystemOps.Sev),
                    _ => Set(ref op, &SystemOps.Nop),
                };
            case 0x3B:
                return ((hw2 >> 4) & 0xF) switch
                {
                    0b0010 when model.HasThumb2 => Set(ref op, &LoadStore.ClearExclusive),
                    0b0100 or 0b0101 => Set(ref op, &SystemOps.Nop),
                    0b0110 => SetEnd(ref op, &SystemOps.Nop),
                    _ => SetUndefined(ref op),
                };
            case 0x3E:
            case 0x3F:
                op.Rd = (byte)((hw2 >> 8) & 0xF);
                op.Imm = hw2 & 0xFF;
                return Set(ref op, &SystemOps.Mrs);
            default:
                // Includes UDF.W (opcode 0x7F, op1 = 010): permanently undefined.
                return SetUndefined(ref op);
        }
    }

    private static uint LongBranchOffset(uint hw1, uint hw2, uint s, uint j1, uint j2)
    {
        uint i1 = ~(j1 ^ s) & 1;
        uint i2 = ~(j2 ^ s) & 1;
        uint offset = (s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3FF) << 12) | ((hw2 & 0x7FF) << 1);
        return SignExtend(offset, 25);
    }

    private static bool LoadStoreMultiple(ref Op op, uint hw1, uint hw2)
    {
        uint mode = (hw1 >> 7) & 3;
        if (mode is 0 or 3)
        {
            return SetUndefined(ref op);
        }

        bool load = (hw1 & 0x10) != 0;
        op.Rn = (byte)(hw1 & 0xF);
        op.Imm = hw2 & (load ? 0xDFFFu : 0x5FFFu);
        op.Amount = mode == 2 ? (byte)1 : (byte)0;
        op.Extra = (hw1 & 0x20) != 0 ? LoadStore.Writeback : (byte)0;
        if (op.Imm == 0 || op.Imm != hw2)
        {
            return SetUndefined(ref op);
        }

        if (!load)
        {
            return Set(ref op, &LoadStore.StoreMultiple);
        }

        return (op.Imm & 0x8000) != 0 ? SetBranch(ref op, &LoadStore.LoadMultiple) : Set(ref op, &LoadStore.LoadMultiple);
    }

    private static bool DualExclusiveTable(ref Op op, uint hw1, uint hw2)
    {
        bool p = (hw1 & 0x100) != 0;
        bool u = (hw1 & 0x80) != 0;
        bool w = (hw1 & 0x20) != 0;
        bool load = (hw1 & 0x10) != 0;
        op.Rn = (byte)(hw1 & 0xF);
        op.Rd = (byte)((hw2 >> 12) & 0xF);
        if (p || w)
        {
            // LDRD/STRD Rt, Rt2, [Rn, #+/-imm8*4]{!} / [Rn], #+/-imm8*4
            uint offset = (hw2 & 0xFF) << 2;
            op.Ra = (byte)((hw2 >> 8) & 0xF);
            op.Imm = u ? offset : (uint)-(int)offset;
            op.Extra = (byte)((p ? LoadStore.PreIndex : 0) | (w ? LoadStore.Writeback : 0));
            if (!load && op.Rn == 15)
            {
                return SetUndefined(ref op);
            }

            return Set(ref op, load ? &LoadStore.LoadDual : &LoadStore.StoreDual);
        }

        if (!u)
        {
            // STREX / LDREX word: imm8*4 offset.
            op.Imm = (hw2 & 0xFF) << 2;
            op.Extra = 4;
            op.Ra = (byte)((hw2 >> 8) & 0xF);
            return Set(ref op, load ? &LoadStore.LoadExclusive : &LoadStore.StoreExclusive);
        }

        uint op3 = (hw2 >> 4) & 0xF;
        op.Ra = (byte)(hw2 & 0xF);
        op.Rm = (byte)(hw2 & 0xF);
        switch (op3)
        {
            case 0b0000 when load:
            case 0b0001 when load:
                op.Extra = (byte)op3;
                return SetBranch(ref op, &Branches.TableBranch);
            case 0b0100:
            case 0b0101:
                op.Extra = op3 == 0b0100 ? (byte)1 : (byte)2;
                return Set(ref op, load ? &LoadStore.LoadExclusive : &LoadStore.StoreExclusive);
            default:
                return SetUndefined(ref op);
        }
    }
}
