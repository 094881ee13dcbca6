using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.FloatingPoint;

/// <summary>
/// Field decoding of the scalar FP encoding classes. Each method checks the class's remaining fixed bits and
/// allocated field values (ARM ARM C4.1.96), fills the op and returns false for unallocated or unadvertised forms.
/// </summary>
internal static unsafe class ScalarFpDecoding
{
    /// <summary>Marks the rounding field of a conversion "use FPCR.RMode" (SCVTF/UCVTF always do).</summary>
    private const byte RoundingFromFpcr = 0xFF;

    /// <summary>ptype 00 single, 01 double; 11 (half) needs FEAT_FP16, which is not advertised; 10 is unallocated.</summary>
    public static bool TryArithmeticSize(uint ptype, ref Op op)
    {
        switch (ptype)
        {
            case 0:
                op.Size = 2;
                return true;
            case 1:
                op.Size = 3;
                return true;
            default:
                return false;
        }
    }

    /// <summary>FMADD, FMSUB, FNMADD, FNMSUB: bit 21 (o1) and bit 15 (o0).</summary>
    public static bool ThreeSource(uint raw, uint ptype, ref Op op)
    {
        if ((raw >> 31) != 0 || !TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        bool o1 = ((raw >> 21) & 1) != 0;
        bool o0 = ((raw >> 15) & 1) != 0;
        op.Ra = (byte)((raw >> 10) & 0x1F);
        op.A = (byte)(o1 ? 1 : 0); // FNMADD, FNMSUB negate the addend
        op.B = (byte)(o1 != o0 ? 1 : 0); // FMSUB, FNMADD negate the first multiplicand
        op.Handler = &ScalarFpHandlers.MultiplyAdd;
        return true;
    }

    /// <summary>SCVTF/UCVTF/FCVTZS/FCVTZU with a scale: sf:0:S:11110:ptype:0:rmode:opcode:scale.</summary>
    public static bool FixedPointConversion(uint raw, uint ptype, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint scale = (raw >> 10) & 0x3F;
        if (!TryArithmeticSize(ptype, ref op) || (!is64 && scale < 32))
        {
            return false;
        }

        op.Amount = (byte)(64 - scale);
        op.C = (byte)(is64 ? 64 : 32);
        switch ((raw >> 16) & 0x1F)
        {
            case 0b00_010: // SCVTF
            case 0b00_011: // UCVTF
                op.B = (byte)((raw >> 16) & 1);
                op.Rn = Reg.ZrSource((raw >> 5) & 0x1F);
                op.Handler = &ScalarFpHandlers.FromInteger;
                return true;
            case 0b11_000: // FCVTZS
            case 0b11_001: // FCVTZU
                op.B = (byte)((raw >> 16) & 1);
                op.A = (byte)FpRounding.Zero;
                op.Rd = Reg.ZrDestination(raw & 0x1F);
                op.Handler = &ScalarFpHandlers.ToInteger;
                return true;
            default:
                return false;
        }
    }

    /// <summary>FCVT[NPMZA][SU], SCVTF/UCVTF and FMOV (general): sf:0:S:11110:ptype:1:rmode:opcode:000000.</summary>
    public static bool IntegerConversion(uint raw, uint ptype, ref Op op)
    {
        bool is64 = (raw >> 31) != 0;
        uint rmode = (raw >> 19) & 3;
        uint opcode = (raw >> 16) & 7;
        byte general = (byte)(raw & 0x1F);
        if (opcode >= 0b110)
        {
            return Move(is64, ptype, rmode, opcode == 0b111, ref op);
        }

        if (!TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        op.C = (byte)(is64 ? 64 : 32);
        op.B = (byte)(opcode & 1);
        if (opcode is 0b010 or 0b011)
        {
            if (rmode != 0)
            {
                return false;
            }

            op.Rn = Reg.ZrSource((raw >> 5) & 0x1F);
            op.Handler = &ScalarFpHandlers.FromInteger;
            return true;
        }

        // 000/001: rounding by rmode (N, P, M, Z); 100/101: ties away (FCVTAS/AU, rmode 00 only).
        if (opcode >= 0b100)
        {
            if (rmode != 0)
            {
                return false;
            }

            op.A = (byte)FpRounding.TieAway;
        }
        else
        {
            op.A = rmode switch
            {
                0 => (byte)FpRounding.TieEven,
                1 => (byte)FpRounding.PlusInfinity,
                2 => (byte)FpRounding.MinusInfinity,
                _ => (byte)FpRounding.Zero,
            };
        }

        op.Rd = Reg.ZrDestination(general);
        op.Handler = &ScalarFpHandlers.ToInteger;
        return true;
    }

    /// <summary>FP data-processing (1 source): M:0:S:11110:ptype:1:opcode(6):10000.</summary>
    public static bool OneSource(uint raw, uint ptype, ref Op op)
    {
        uint opcode = (raw >> 15) & 0x3F;
        if (opcode is 0b000100 or 0b000101 or 0b000111)
        {
            // FCVT between precisions: the half forms are base FP; same-size conversions are unallocated.
            int from = ptype switch { 0 => 2, 1 => 3, 3 => 1, _ => -1 };
            int to = opcode switch { 0b000100 => 2, 0b000101 => 3, _ => 1 };
            if (from < 0 || from == to)
            {
                return false;
            }

            op.Size = (byte)from;
            op.A = (byte)to;
            op.Handler = &ScalarFpHandlers.ConvertPrecision;
            return true;
        }

        if (!TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        switch (opcode)
        {
            case 0b000000:
                op.Handler = &ScalarFpHandlers.Unary<ScalarFpOperations.Move>;
                return true;
            case 0b000001:
                op.Handler = &ScalarFpHandlers.Unary<ScalarFpOperations.Abs>;
                return true;
            case 0b000010:
                op.Handler = &ScalarFpHandlers.Unary<ScalarFpOperations.Neg>;
                return true;
            case 0b000011:
                op.Handler = &ScalarFpHandlers.Unary<ScalarFpOperations.Sqrt>;
                return true;
            case >= 0b001000 and <= 0b001111 and not 0b001101:
                // FRINTN, P, M, Z (rmode in bits 16:15), A (100), X (110, FPCR, exact), I (111, FPCR).
                uint mode = opcode & 7;
                op.A = mode switch
                {
                    0b000 => (byte)FpRounding.TieEven,
                    0b001 => (byte)FpRounding.PlusInfinity,
                    0b010 => (byte)FpRounding.MinusInfinity,
                    0b011 => (byte)FpRounding.Zero,
                    _ => (byte)FpRounding.TieAway,
                };
                op.B = (byte)(mode == 0b110 ? 1 : 0);
                op.C = (byte)(mode >= 0b110 ? 1 : 0);
                op.Handler = &ScalarFpHandlers.RoundToIntegral;
                return true;
            default:
                return false; // FRINT32/64 (FEAT_FRINTTS) and BFCVT are not advertised
        }
    }

    /// <summary>FCMP/FCMPE (register or #0.0): M:0:S:11110:ptype:1:Rm:00:1000:Rn:opcode2.</summary>
    public static bool Compare(uint raw, uint ptype, ref Op op)
    {
        uint opcode2 = raw & 0x1F;
        if (((raw >> 14) & 3) != 0 || (opcode2 & 0b00111) != 0 || !TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        op.A = (byte)((opcode2 >> 4) & 1); // FCMPE
        op.B = (byte)((opcode2 >> 3) & 1); // with #0.0
        op.Rd = 0;
        op.Flags |= OpFlags.SetsFlags;
        op.Handler = &ScalarFpHandlers.Compare;
        return true;
    }

    /// <summary>FMOV (scalar, immediate): M:0:S:11110:ptype:1:imm8:100:imm5(00000):Rd.</summary>
    public static bool Immediate(uint raw, uint ptype, ref Op op)
    {
        if (((raw >> 5) & 0x1F) != 0 || !TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        op.Imm = SoftFloat.ExpandImmediate(op.Size, (byte)((raw >> 13) & 0xFF));
        op.Handler = &ScalarFpHandlers.MoveImmediate;
        return true;
    }

    /// <summary>FCCMP/FCCMPE: M:0:S:11110:ptype:1:Rm:cond:01:Rn:op:nzcv.</summary>
    public static bool ConditionalCompare(uint raw, uint ptype, ref Op op)
    {
        if (!TryArithmeticSize(ptype, ref op))
        {
            return false;
        }

        op.Cond = (byte)((raw >> 12) & 0xF);
        op.A = (byte)((raw >> 4) & 1);
        op.Imm = raw & 0xF;
        op.Rd = 0;
        op.Flags |= OpFlags.SetsFlags;
        op.Handler = &ScalarFpHandlers.ConditionalCompare;
        return true;
    }

    /// <summary>FMOV between a general register and an FP register (or the upper half of a vector register).</summary>
    private static bool Move(bool is64, uint ptype, uint rmode, bool toFp, ref Op op)
    {
        byte general = toFp ? Reg.ZrSource(op.Rn) : Reg.ZrDestination(op.Rd);
        delegate*<Arm64Cpu, ref Op, void> handler = (is64, ptype, rmode) switch
        {
            (false, 0, 0) => toFp ? &ScalarFpHandlers.MoveFromGeneral32 : &ScalarFpHandlers.MoveToGeneral32,
            (true, 1, 0) => toFp ? &ScalarFpHandlers.MoveFromGeneral64 : &ScalarFpHandlers.MoveToGeneral64,
            (true, 2, 1) => toFp ? &ScalarFpHandlers.MoveUpperFromGeneral : &ScalarFpHandlers.MoveUpperToGeneral,
            _ => null, // half-precision FMOV needs FEAT_FP16; FJCVTZS (FEAT_JSCVT) is not advertised
        };
        if (handler == null)
        {
            return false;
        }

        if (toFp)
        {
            op.Rn = general;
        }
        else
        {
            op.Rd = general;
        }

        op.Handler = handler;
        return true;
    }
}
