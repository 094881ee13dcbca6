using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>32-bit Thumb-2 encodings, ARM ARM v7-M section A5.3: top-level split and data processing.</summary>
public static unsafe partial class ThumbDecoder
{
    /// <summary>Fills <paramref name="op"/> for a 32-bit instruction (hw1 &lt;&lt; 16 | hw2); returns true if the block must end after it.</summary>
    private static bool Decode32(CortexMModel model, ref Op op, uint instruction, uint it)
    {
        uint hw1 = instruction >> 16;
        uint hw2 = instruction & 0xFFFF;
        uint op1 = (hw1 >> 11) & 3;
        uint op2 = (hw1 >> 4) & 0x7F;

        if (!model.HasThumb2)
        {
            // ARMv6-M has only BL, MRS, MSR, DMB/DSB/ISB and UDF among the 32-bit encodings.
            return op1 == 2 && (hw2 & 0x8000) != 0 ? BranchesAndControl(model, ref op, hw1, hw2) : SetUndefined(ref op);
        }

        if (model.HasDsp)
        {
            bool handled = false;
            DecodeDsp(instruction, model, ref op, ref handled);
            if (handled)
            {
                return false;
            }
        }

        switch (op1)
        {
            case 1:
                if ((op2 & 0x40) != 0)
                {
                    return Coprocessor(model, ref op, instruction);
                }

                if ((op2 & 0x20) != 0)
                {
                    return ShiftedRegister(model, ref op, hw1, hw2);
                }

                return (op2 & 0x04) != 0 ? DualExclusiveTable(ref op, hw1, hw2) : LoadStoreMultiple(ref op, hw1, hw2);
            case 2:
                if ((hw2 & 0x8000) != 0)
                {
                    return BranchesAndControl(model, ref op, hw1, hw2);
                }

                return (op2 & 0x20) != 0 ? PlainImmediate(model, ref op, hw1, hw2) : ModifiedImmediate(ref op, hw1, hw2);
            default:
                if ((op2 & 0x40) != 0)
                {
                    return Coprocessor(model, ref op, instruction);
                }

                if ((op2 & 0x71) == 0x00)
                {
                    return StoreSingle(ref op, hw1, hw2);
                }

                if ((op2 & 0x60) == 0x00)
                {
                    return LoadSingle(ref op, hw1, hw2);
                }

                return (op2 & 0x70) switch
                {
                    0x20 => RegisterDataProcessing32(model, ref op, hw1, hw2),
                    0x30 => (op2 & 0x08) == 0 ? Multiply32(ref op, hw1, hw2) : LongMultiply(ref op, hw1, hw2),
                    _ => SetUndefined(ref op),
                };
        }
    }

    private static bool Coprocessor(CortexMModel model, ref Op op, uint instruction)
    {
        bool handled = false;
        DecodeCoprocessor(instruction, model, ref op, ref handled);
        if (handled)
        {
            return false;
        }

        return SetEnd(ref op, &SystemOps.NoCoprocessor);
    }

    /// <summary>ThumbExpandImm_C: the value, and <c>Extra</c> = carry-out (0 unchanged, 1 clear, 2 set).</summary>
    private static bool ExpandImmediate(ref Op op, uint imm12)
    {
        if ((imm12 & 0xC00) == 0)
        {
            uint b = imm12 & 0xFF;
            op.Extra = 0;
            switch ((imm12 >> 8) & 3)
            {
                case 0: op.Imm = b; break;
                case 1: op.Imm = (b << 16) | b; break;
                case 2: op.Imm = (b << 24) | (b << 8); break;
                default: op.Imm = (b << 24) | (b << 16) | (b << 8) | b; break;
            }

            return (imm12 & 0x300) == 0 || b != 0;
        }

        op.Imm = uint.RotateRight(0x80 | (imm12 & 0x7F), (int)(imm12 >> 7));
        op.Extra = (op.Imm & 0x80000000) != 0 ? (byte)2 : (byte)1;
        return true;
    }

    private static bool ModifiedImmediate(ref Op op, uint hw1, uint hw2)
    {
        uint opcode = (hw1 >> 5) & 0xF;
        uint rn = hw1 & 0xF;
        uint rd = (hw2 >> 8) & 0xF;
        op.Rn = (byte)rn;
        op.Rd = (byte)rd;
        op.SetFlags = (byte)((hw1 >> 4) & 1);
        if (!ExpandImmediate(ref op, ((hw1 & 0x400) << 1) | ((hw2 >> 4) & 0x700) | (hw2 & 0xFF)))
        {
            return SetUndefined(ref op);
        }

        return SelectDataProcessing<ImmediateOperand>(ref op, opcode, rn, rd);
    }

    private static bool ShiftedRegister(CortexMModel model, ref Op op, uint hw1, uint hw2)
    {
        uint opcode = (hw1 >> 5) & 0xF;
        uint rn = hw1 & 0xF;
        uint rd = (hw2 >> 8) & 0xF;
        op.Rn = (byte)rn;
        op.Rd = (byte)rd;
        op.Rm = (byte)(hw2 & 0xF);
        op.SetFlags = (byte)((hw1 >> 4) & 1);
        ImmShift(ref op, (hw2 >> 4) & 3, ((hw2 >> 10) & 0x1C) | ((hw2 >> 6) & 3));
        return SelectDataProcessing<RegisterOperand>(ref op, opcode, rn, rd);
    }

    /// <summary>
    /// The data-processing opcode table (A5.3.1/A5.3.11), shared by the modified-immediate and shifted-register
    /// forms: Rd = PC with S set turns AND/EOR/ADD/SUB into the TST/TEQ/CMN/CMP tests, Rn = PC turns ORR/ORN into MOV/MVN.
    /// </summary>
    private static bool SelectDataProcessing<TForm>(ref Op op, uint opcode, uint rn, uint rd)
        where TForm : IDataProcessingOperand
    {
        bool test = rd == 15 && op.SetFlags != 0;
        return opcode switch
        {
            0b0000 => Set(ref op, test ? TForm.Handler<TstOp>() : TForm.Handler<AndOp>()),
            0b0001 => Set(ref op, TForm.Handler<BicOp>()),
            0b0010 => Set(ref op, rn == 15 ? TForm.Handler<MovOp>() : TForm.Handler<OrrOp>()),
            0b0011 => Set(ref op, rn == 15 ? TForm.Handler<MvnOp>() : TForm.Handler<OrnOp>()),
            0b0100 => Set(ref op, test ? TForm.Handler<TeqOp>() : TForm.Handler<EorOp>()),
            0b1000 => Set(ref op, test ? TForm.Handler<CmnOp>() : TForm.Handler<AddOp>()),
            0b1010 => Set(ref op, TForm.Handler<AdcOp>()),
            0b1011 => Set(ref op, TForm.Handler<SbcOp>()),
            0b1101 => Set(ref op, test ? TForm.Handler<CmpOp>() : TForm.Handler<SubOp>()),
            0b1110 => Set(ref op, TForm.Handler<RsbOp>()),
            _ => SetUndefined(ref op),
        };
    }

    private static bool PlainImmediate(CortexMModel model, ref Op op, uint hw1, uint hw2)
    {
        uint rn = hw1 & 0xF;
        op.Rn = (byte)rn;
        op.Rd = (byte)((hw2 >> 8) & 0xF);
        uint imm12 = ((hw1 & 0x400) << 1) | ((hw2 >> 4) & 0x700) | (hw2 & 0xFF);
        uint lsb = ((hw2 >> 10) & 0x1C) | ((hw2 >> 6) & 3);
        uint field = hw2 & 0x1F;
        switch ((hw1 >> 4) & 0x1F)
        {
            case 0b00000:
            case 0b01010:
                {
                    bool subtract = (hw1 & 0x80) != 0;
                    if (rn == 15)
                    {
                        // ADR: the address is known now.
                        uint pc = (op.Address + 4) & ~3u;
                        op.Imm = subtract ? pc - imm12 : pc + imm12;
                        return Set(ref op, &DataProcessing.Imm<MovOp>);
                    }

                    op.Imm = imm12;
                    return Set(ref op, subtract ? &DataProcessing.Imm<SubOp> : &DataProcessing.Imm<AddOp>);
                }

            case 0b00100:
                op.Imm = ((hw1 & 0xF) << 12) | imm12;
                return Set(ref op, &DataProcessing.Imm<MovOp>);
            case 0b01100:
                op.Imm = ((hw1 & 0xF) << 12) | imm12;
                return Set(ref op, &BitManipulation.Movt);
            case 0b10000:
            case 0b10010:
            case 0b11000:
            case 0b11010:
                {
                    bool unsigned = (hw1 & 0x80) != 0;
                    bool arithmetic = (hw1 & 0x20) != 0;
                    if (arithmetic && lsb == 0)
                    {
                        // SSAT16/USAT16 (DSP, decoded by DecodeDsp when the model has it).
                        return SetUndefined(ref op);
                    }

                    op.Shift = arithmetic ? ShiftType.Asr : ShiftType.Lsl;
                    op.Amount = (byte)lsb;
                    op.Imm = unsigned ? field : field + 1;
                    return Set(ref op, unsigned ? &BitManipulation.Usat : &BitManipulation.Ssat);
                }

            case 0b10100:
            case 0b11100:
                if (lsb + field + 1 > 32)
                {
                    return SetUndefined(ref op);
                }

                op.Amount = (byte)lsb;
                op.Imm = field + 1;
                return Set(ref op, (hw1 & 0x80) != 0 ? &BitManipulation.Ubfx : &BitManipulation.Sbfx);
            case 0b10110:
                if (field < lsb)
                {
                    return SetUndefined(ref op);
                }

                op.Amount = (byte)lsb;
                op.Imm = (uint)(((1ul << (int)(field + 1)) - 1) & ~((1ul << (int)lsb) - 1));
                return Set(ref op, &BitManipulation.Bfi);
            default:
                return SetUndefined(ref op);
        }
    }

    private static bool RegisterDataProcessing32(CortexMModel model, ref Op op, uint hw1, uint hw2)
    {
        if ((hw2 & 0xF000) != 0xF000)
        {
            return SetUndefined(ref op);
        }

        uint op1 = (hw1 >> 4) & 0xF;
        uint op2 = (hw2 >> 4) & 0xF;
        op.Rn = (byte)(hw1 & 0xF);
        op.Rd = (byte)((hw2 >> 8) & 0xF);
        op.Rm = (byte)(hw2 & 0xF);
        if ((op1 & 0x8) == 0 && op2 == 0)
        {
            op.Shift = (byte)((op1 >> 1) & 3);
            op.SetFlags = (byte)(op1 & 1);
            return Set(ref op, &DataProcessing.ShiftByRegister);
        }

        if ((op1 & 0x8) == 0 && (op2 & 0x8) != 0)
        {
            // SXTAH/SXTH, UXTAH/UXTH, SXTAB/SXTB, UXTAB/UXTB; the accumulating forms are DSP.
            op.Amount = (byte)(((hw2 >> 4) & 3) * 8);
            op.Extra = op1 switch { 0 => 1, 1 => 3, 4 => 0, 5 => 2, _ => 0xFF };
            if (op.Extra == 0xFF || (op.Rn != 15 && !model.HasDsp))
            {
                return SetUndefined(ref op);
            }

            return Set(ref op, &BitManipulation.Extend);
        }

        if ((op1 & 0xC) == 0x8 && (op2 & 0xC) == 0x8)
        {
            // Miscellaneous: Rm is encoded twice and must match.
            if ((hw1 & 0xF) != (hw2 & 0xF))
            {
                return SetUndefined(ref op);
            }

            return ((op1 & 3) << 2 | (op2 & 3)) switch
            {
                0b0100 => Set(ref op, &BitManipulation.Rev),
                0b0101 => Set(ref op, &BitManipulation.Rev16),
                0b0110 => Set(ref op, &BitManipulation.Rbit),
                0b0111 => Set(ref op, &BitManipulation.Revsh),
                0b1100 => Set(ref op, &BitManipulation.Clz),
                _ => SetUndefined(ref op),
            };
        }

        return SetUndefined(ref op);
    }

    private static bool Multiply32(ref Op op, uint hw1, uint hw2)
    {
        op.Rn = (byte)(hw1 & 0xF);
        op.Rd = (byte)((hw2 >> 8) & 0xF);
        op.Rm = (byte)(hw2 & 0xF);
        op.Ra = (byte)((hw2 >> 12) & 0xF);
        if (((hw1 >> 4) & 7) != 0)
        {
            return SetUndefined(ref op);
        }

        return ((hw2 >> 4) & 3) switch
        {
            0 => Set(ref op, op.Ra == 15 ? &Multiply.Mul : &Multiply.Mla),
            1 => Set(ref op, &Multiply.Mls),
            _ => SetUndefined(ref op),
        };
    }

    private static bool LongMultiply(ref Op op, uint hw1, uint hw2)
    {
        op.Rn = (byte)(hw1 & 0xF);
        op.Rm = (byte)(hw2 & 0xF);
        op.Rd = (byte)((hw2 >> 12) & 0xF);
        op.Ra = (byte)((hw2 >> 8) & 0xF);
        uint op1 = (hw1 >> 4) & 7;
        uint op2 = (hw2 >> 4) & 0xF;
        switch (op1 << 4 | op2)
        {
            case 0x00: return Set(ref op, &Multiply.Smull);
            case 0x20: return Set(ref op, &Multiply.Umull);
            case 0x40: return Set(ref op, &Multiply.Smlal);
            case 0x60: return Set(ref op, &Multiply.Umlal);
            case 0x1F:
            case 0x3F:
                if ((hw2 & 0xF000) != 0xF000)
                {
                    return SetUndefined(ref op);
                }

                op.Rd = (byte)((hw2 >> 8) & 0xF);
                return Set(ref op, op1 == 1 ? &Multiply.Sdiv : &Multiply.Udiv);
            default:
                return SetUndefined(ref op);
        }
    }
}

/// <summary>How a data-processing instruction gets its second operand; picks the handler specialised for it.</summary>
internal unsafe interface IDataProcessingOperand
{
    static abstract delegate*<CortexMCpu, ref Op, void> Handler<T>()
        where T : struct, IAluOperation;
}

/// <summary>Second operand from the modified immediate.</summary>
internal readonly unsafe struct ImmediateOperand : IDataProcessingOperand
{
    public static delegate*<CortexMCpu, ref Op, void> Handler<T>()
        where T : struct, IAluOperation => &DataProcessing.Imm<T>;
}

/// <summary>Second operand from a register shifted by an immediate.</summary>
internal readonly unsafe struct RegisterOperand : IDataProcessingOperand
{
    public static delegate*<CortexMCpu, ref Op, void> Handler<T>()
        where T : struct, IAluOperation => &DataProcessing.Reg<T>;
}
