using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>32-bit single loads and stores (A5.3.10 - A5.3.13).</summary>
public static unsafe partial class ThumbDecoder
{
    // Handlers indexed by access kind: 0 byte, 1 half, 2 word, 4 signed byte, 5 signed half.
    private static bool StoreSingle(ref Op op, uint hw1, uint hw2)
    {
        uint size = (hw1 >> 5) & 3;
        op.Rn = (byte)(hw1 & 0xF);
        op.Rd = (byte)((hw2 >> 12) & 0xF);
        if (size == 3 || op.Rn == 15)
        {
            return SetUndefined(ref op);
        }

        var form = AddressingForm(ref op, hw1, hw2);
        return form switch
        {
            Form.Immediate => Set(ref op, size switch { 0 => &LoadStore.StoreImm<ByteAccess>, 1 => &LoadStore.StoreImm<HalfAccess>, _ => &LoadStore.StoreImm<WordAccess> }),
            Form.Unprivileged => Set(ref op, size switch { 0 => &LoadStore.StoreImm<Unprivileged<ByteAccess>>, 1 => &LoadStore.StoreImm<Unprivileged<HalfAccess>>, _ => &LoadStore.StoreImm<Unprivileged<WordAccess>> }),
            Form.Register => Set(ref op, size switch { 0 => &LoadStore.StoreReg<ByteAccess>, 1 => &LoadStore.StoreReg<HalfAccess>, _ => &LoadStore.StoreReg<WordAccess> }),
            Form.Indexed => Set(ref op, size switch { 0 => &LoadStore.StoreIndexed<ByteAccess>, 1 => &LoadStore.StoreIndexed<HalfAccess>, _ => &LoadStore.StoreIndexed<WordAccess> }),
            _ => SetUndefined(ref op),
        };
    }

    private static bool LoadSingle(ref Op op, uint hw1, uint hw2)
    {
        uint size = (hw1 >> 5) & 3;
        bool signed = (hw1 & 0x100) != 0;
        op.Rn = (byte)(hw1 & 0xF);
        op.Rd = (byte)((hw2 >> 12) & 0xF);
        if (size == 3 || (signed && size == 2))
        {
            return SetUndefined(ref op);
        }

        Form form;
        if (op.Rn == 15)
        {
            uint offset = hw2 & 0xFFF;
            uint pc = (op.Address + 4) & ~3u;
            op.Imm = (hw1 & 0x80) != 0 ? pc + offset : pc - offset;
            form = Form.Literal;
        }
        else
        {
            form = AddressingForm(ref op, hw1, hw2);
        }

        if (form == Form.Invalid)
        {
            return SetUndefined(ref op);
        }

        if (op.Rd == 15)
        {
            if (size != 2)
            {
                // PLD/PLI and unallocated memory hints: no architectural effect here.
                return Set(ref op, &SystemOps.Nop);
            }

            op.Shift = form switch { Form.Register => 1, Form.Literal => 2, _ => 0 };
            if (form is Form.Immediate or Form.Unprivileged)
            {
                op.Extra = LoadStore.PreIndex;
            }

            return SetBranch(ref op, &LoadStore.LoadPc);
        }

        int kind = (int)size + (signed ? 4 : 0);
        return form switch
        {
            Form.Immediate => Set(ref op, kind switch
            {
                0 => &LoadStore.LoadImm<ByteAccess>,
                1 => &LoadStore.LoadImm<HalfAccess>,
                2 => &LoadStore.LoadImm<WordAccess>,
                4 => &LoadStore.LoadImm<SignedByteAccess>,
                _ => &LoadStore.LoadImm<SignedHalfAccess>,
            }),
            Form.Unprivileged => Set(ref op, kind switch
            {
                0 => &LoadStore.LoadImm<Unprivileged<ByteAccess>>,
                1 => &LoadStore.LoadImm<Unprivileged<HalfAccess>>,
                2 => &LoadStore.LoadImm<Unprivileged<WordAccess>>,
                4 => &LoadStore.LoadImm<Unprivileged<SignedByteAccess>>,
                _ => &LoadStore.LoadImm<Unprivileged<SignedHalfAccess>>,
            }),
            Form.Register => Set(ref op, kind switch
            {
                0 => &LoadStore.LoadReg<ByteAccess>,
                1 => &LoadStore.LoadReg<HalfAccess>,
                2 => &LoadStore.LoadReg<WordAccess>,
                4 => &LoadStore.LoadReg<SignedByteAccess>,
                _ => &LoadStore.LoadReg<SignedHalfAccess>,
            }),
            Form.Indexed => Set(ref op, kind switch
            {
                0 => &LoadStore.LoadIndexed<ByteAccess>,
                1 => &LoadStore.LoadIndexed<HalfAccess>,
                2 => &LoadStore.LoadIndexed<WordAccess>,
                4 => &LoadStore.LoadIndexed<SignedByteAccess>,
                _ => &LoadStore.LoadIndexed<SignedHalfAccess>,
            }),
            _ => Set(ref op, kind switch
            {
                0 => &LoadStore.LoadLiteral<ByteAccess>,
                1 => &LoadStore.LoadLiteral<HalfAccess>,
                2 => &LoadStore.LoadLiteral<WordAccess>,
                4 => &LoadStore.LoadLiteral<SignedByteAccess>,
                _ => &LoadStore.LoadLiteral<SignedHalfAccess>,
            }),
        };
    }

    /// <summary>Immediate (imm12 or negative/unprivileged imm8), register (LSL #0-3) or indexed (imm8 with P/U/W).</summary>
    private static Form AddressingForm(ref Op op, uint hw1, uint hw2)
    {
        if ((hw1 & 0x80) != 0)
        {
            op.Imm = hw2 & 0xFFF;
            return Form.Immediate;
        }

        if ((hw2 & 0x800) == 0)
        {
            if ((hw2 & 0x7C0) != 0)
            {
                return Form.Invalid;
            }

            op.Rm = (byte)(hw2 & 0xF);
            op.Amount = (byte)((hw2 >> 4) & 3);
            return Form.Register;
        }

        bool p = (hw2 & 0x400) != 0;
        bool u = (hw2 & 0x200) != 0;
        bool w = (hw2 & 0x100) != 0;
        uint imm8 = hw2 & 0xFF;
        op.Imm = u ? imm8 : (uint)-(int)imm8;
        if (p && !w)
        {
            // P=1, W=0: a negative offset, or with U set LDRT/STRT, whose access is checked as unprivileged.
            return u ? Form.Unprivileged : Form.Immediate;
        }

        if (!p && !w)
        {
            return Form.Invalid;
        }

        op.Extra = (byte)((p ? LoadStore.PreIndex : 0) | LoadStore.Writeback);
        return Form.Indexed;
    }

    private enum Form
    {
        Invalid,
        Immediate,
        Register,
        Indexed,
        Literal,

        /// <summary>LDRT/STRT and kin: immediate offset, access permissions of unprivileged Thread mode.</summary>
        Unprivileged,
    }
}
