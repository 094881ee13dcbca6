using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Decoders for the data-processing-register classes. Each picks a handler specialised for width, operation, flag
/// setting and operand shape from <see cref="RegisterHandlerTables"/>; reserved encodings are undefined.
/// </summary>
internal static unsafe class RegisterDecoders
{
    /// <summary>AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register), MOV (register) specialised.</summary>
    public static bool LogicalShifted(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint amount = (raw >> 10) & 0x3F;
        if (!is64 && amount >= 32)
        {
            return false;
        }

        uint opc = (raw >> 29) & 3;
        uint negate = (raw >> 21) & 1;
        uint shift = (raw >> 22) & 3;
        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        op.Amount = (byte)amount;
        if (opc == 3)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        if (opc == 1 && negate == 0 && amount == 0 && op.Rn == Reg.Zero)
        {
            op.Handler = is64 ? &RegisterHandlers.MoveRegister64 : &RegisterHandlers.MoveRegister32;
            return true;
        }

        op.Handler = RegisterHandlerTables.Logical((int)((opc << 1) | negate), amount == 0 ? -1 : (int)shift, is64);
        return true;
    }

    /// <summary>ADD/ADDS/SUB/SUBS (shifted register), including NEG and CMP; ROR is reserved.</summary>
    public static bool AddSubtractShifted(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint amount = (raw >> 10) & 0x3F;
        uint shift = (raw >> 22) & 3;
        if (shift == 3 || (!is64 && amount >= 32))
        {
            return false;
        }

        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        op.Amount = (byte)amount;
        uint operation = (raw >> 29) & 3; // op:S
        if ((operation & 1) != 0)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        op.Handler = RegisterHandlerTables.AddSubtract((int)operation, amount == 0 ? -1 : (int)shift, is64);
        return true;
    }

    /// <summary>ADD/ADDS/SUB/SUBS (extended register): Rn may be SP, and Rd too unless flags are set; shift 0..4.</summary>
    public static bool AddSubtractExtended(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint amount = (raw >> 10) & 7;
        if (amount > 4 || ((raw >> 22) & 3) != 0)
        {
            return false;
        }

        uint operation = (raw >> 29) & 3;
        bool setFlags = (operation & 1) != 0;
        FillRegisters(raw, ref op, spForRn: true, spForRd: !setFlags);
        op.Amount = (byte)amount;
        if (setFlags)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        op.Handler = RegisterHandlerTables.AddSubtractExtended((int)operation, (int)((raw >> 13) & 7), is64);
        return true;
    }

    /// <summary>ADC/ADCS/SBC/SBCS (op3 = 000000); RMIF and SETF need FlagM.</summary>
    public static bool AddSubtractCarry(uint raw, ref Op op)
    {
        if (((raw >> 10) & 0x3F) != 0)
        {
            return false;
        }

        bool is64 = (raw >> 31) != 0;
        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        uint operation = (raw >> 29) & 3;
        if ((operation & 1) != 0)
        {
            op.Flags |= OpFlags.SetsFlags;
        }

        op.Handler = (operation, is64) switch
        {
            (0, true) => &RegisterHandlers.AddCarry64,
            (1, true) => &RegisterHandlers.AddCarryFlags64,
            (2, true) => &RegisterHandlers.SubCarry64,
            (3, true) => &RegisterHandlers.SubCarryFlags64,
            (0, false) => &RegisterHandlers.AddCarry32,
            (1, false) => &RegisterHandlers.AddCarryFlags32,
            (2, false) => &RegisterHandlers.SubCarry32,
            _ => &RegisterHandlers.SubCarryFlags32,
        };
        return true;
    }

    /// <summary>CCMN/CCMP (register and immediate): S must be 1 and o2, o3 zero.</summary>
    public static bool ConditionalCompare(uint raw, ref Op op)
    {
        if (((raw >> 29) & 1) == 0 || ((raw >> 10) & 1) != 0 || ((raw >> 4) & 1) != 0)
        {
            return false;
        }

        bool is64 = (raw >> 31) != 0;
        bool compareNegative = ((raw >> 30) & 1) == 0;
        bool immediate = ((raw >> 11) & 1) != 0;
        op.Rn = Reg.ZrSource((raw >> 5) & 31);
        op.Rm = Reg.ZrSource((raw >> 16) & 31);
        op.Imm = (raw >> 16) & 31;
        op.Cond = (byte)((raw >> 12) & 0xF);
        op.Amount = (byte)(raw & 0xF);
        op.Flags |= OpFlags.SetsFlags;
        op.Handler = (is64, compareNegative, immediate) switch
        {
            (true, false, false) => &ConditionalHandlers.CompareRegister64,
            (true, false, true) => &ConditionalHandlers.CompareImmediate64,
            (true, true, false) => &ConditionalHandlers.CompareNegativeRegister64,
            (true, true, true) => &ConditionalHandlers.CompareNegativeImmediate64,
            (false, false, false) => &ConditionalHandlers.CompareRegister32,
            (false, false, true) => &ConditionalHandlers.CompareImmediate32,
            (false, true, false) => &ConditionalHandlers.CompareNegativeRegister32,
            (false, true, true) => &ConditionalHandlers.CompareNegativeImmediate32,
        };
        return true;
    }

    /// <summary>CSEL/CSINC/CSINV/CSNEG (S = 0, op2 bit 1 = 0); CSET/CINC with both sources ZR specialised.</summary>
    public static bool ConditionalSelect(uint raw, ref Op op)
    {
        if (((raw >> 29) & 1) != 0 || ((raw >> 11) & 1) != 0)
        {
            return false;
        }

        bool is64 = (raw >> 31) != 0;
        uint operation = (((raw >> 30) & 1) << 1) | ((raw >> 10) & 1);
        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        op.Cond = (byte)((raw >> 12) & 0xF);
        bool set = operation == 1 && op.Rn == Reg.Zero && op.Rm == Reg.Zero;
        op.Handler = Branches.ConditionalBranches.Specialise(op.Cond, new SelectSpecialiser(set ? -1 : (int)operation, is64));
        return true;
    }

    /// <summary>MADD/MSUB (MUL specialised), SMADDL/SMSUBL/UMADDL/UMSUBL, SMULH/UMULH.</summary>
    public static bool ThreeSource(uint raw, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint op54 = (raw >> 29) & 3;
        uint op31 = (raw >> 21) & 7;
        bool subtract = ((raw >> 15) & 1) != 0;
        if (op54 != 0)
        {
            return false;
        }

        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        op.Ra = Reg.ZrSource((raw >> 10) & 31);
        delegate*<Arm64Cpu, ref Op, void> handler = (op31, subtract, is64) switch
        {
            (0, false, true) => op.Ra == Reg.Zero ? &ArithmeticHandlers.Multiply64 : &ArithmeticHandlers.MultiplyAdd64,
            (0, true, true) => &ArithmeticHandlers.MultiplySubtract64,
            (0, false, false) => op.Ra == Reg.Zero ? &ArithmeticHandlers.Multiply32 : &ArithmeticHandlers.MultiplyAdd32,
            (0, true, false) => &ArithmeticHandlers.MultiplySubtract32,
            (1, false, true) => &ArithmeticHandlers.SignedMultiplyAddLong,
            (1, true, true) => &ArithmeticHandlers.SignedMultiplySubtractLong,
            (2, false, true) => &ArithmeticHandlers.SignedMultiplyHigh,
            (5, false, true) => &ArithmeticHandlers.UnsignedMultiplyAddLong,
            (5, true, true) => &ArithmeticHandlers.UnsignedMultiplySubtractLong,
            (6, false, true) => &ArithmeticHandlers.UnsignedMultiplyHigh,
            _ => null,
        };
        op.Handler = handler;
        return handler != null;
    }

    /// <summary>UDIV/SDIV, LSLV/LSRV/ASRV/RORV, CRC32/CRC32C (S = 0; the MTE and PACGA opcodes are undefined).</summary>
    public static bool TwoSource(uint raw, ref Op op)
    {
        if (((raw >> 29) & 1) != 0)
        {
            return false;
        }

        bool is64 = (raw >> 31) != 0;
        uint opcode = (raw >> 10) & 0x3F;
        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        if ((opcode & 0b111000) == 0b010000)
        {
            int size = (int)(opcode & 3);
            if ((size == 3) != is64)
            {
                return false;
            }

            op.Size = (byte)size;
            op.Handler = (opcode & 4) != 0 ? &ArithmeticHandlers.Crc32C : &ArithmeticHandlers.Crc32;
            return true;
        }

        delegate*<Arm64Cpu, ref Op, void> handler = (opcode, is64) switch
        {
            (0b000010, true) => &ArithmeticHandlers.UnsignedDivide64,
            (0b000011, true) => &ArithmeticHandlers.SignedDivide64,
            (0b001000, true) => &ArithmeticHandlers.ShiftLeftVariable64,
            (0b001001, true) => &ArithmeticHandlers.ShiftRightVariable64,
            (0b001010, true) => &ArithmeticHandlers.ArithmeticShiftRightVariable64,
            (0b001011, true) => &ArithmeticHandlers.RotateRightVariable64,
            (0b000010, false) => &ArithmeticHandlers.UnsignedDivide32,
            (0b000011, false) => &ArithmeticHandlers.SignedDivide32,
            (0b001000, false) => &ArithmeticHandlers.ShiftLeftVariable32,
            (0b001001, false) => &ArithmeticHandlers.ShiftRightVariable32,
            (0b001010, false) => &ArithmeticHandlers.ArithmeticShiftRightVariable32,
            (0b001011, false) => &ArithmeticHandlers.RotateRightVariable32,
            _ => null,
        };
        op.Handler = handler;
        return handler != null;
    }

    /// <summary>RBIT, REV16, REV32, REV, CLZ, CLS (opcode2 = 0, S = 0; the PAuth opcode2 = 1 forms are undefined).</summary>
    public static bool OneSource(uint raw, ref Op op)
    {
        if (((raw >> 29) & 1) != 0 || ((raw >> 16) & 0x1F) != 0)
        {
            return false;
        }

        bool is64 = (raw >> 31) != 0;
        uint opcode = (raw >> 10) & 0x3F;
        FillRegisters(raw, ref op, spForRn: false, spForRd: false);
        delegate*<Arm64Cpu, ref Op, void> handler = (opcode, is64) switch
        {
            (0b000000, true) => &ArithmeticHandlers.ReverseBits64,
            (0b000001, true) => &ArithmeticHandlers.ReverseHalfwords64,
            (0b000010, true) => &ArithmeticHandlers.ReverseWords64,
            (0b000011, true) => &ArithmeticHandlers.Reverse64,
            (0b000100, true) => &ArithmeticHandlers.CountLeadingZeros64,
            (0b000101, true) => &ArithmeticHandlers.CountLeadingSignBits64,
            (0b000000, false) => &ArithmeticHandlers.ReverseBits32,
            (0b000001, false) => &ArithmeticHandlers.ReverseHalfwords32,
            (0b000010, false) => &ArithmeticHandlers.Reverse32,
            (0b000100, false) => &ArithmeticHandlers.CountLeadingZeros32,
            (0b000101, false) => &ArithmeticHandlers.CountLeadingSignBits32,
            _ => null,
        };
        op.Handler = handler;
        return handler != null;
    }

    private static void FillRegisters(uint raw, ref Op op, bool spForRn, bool spForRd)
    {
        op.Rd = spForRd ? Reg.SpOrRegister(raw & 31) : Reg.ZrDestination(raw & 31);
        op.Rn = spForRn ? Reg.SpOrRegister((raw >> 5) & 31) : Reg.ZrSource((raw >> 5) & 31);
        op.Rm = Reg.ZrSource((raw >> 16) & 31);
    }
}
