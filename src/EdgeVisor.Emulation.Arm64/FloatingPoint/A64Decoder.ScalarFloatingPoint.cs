using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>
/// Scalar floating point (ARM ARM C4.1.96, op0 = x0x1 in the SIMD/FP space): conversions with fixed point and
/// integers, FMOV between general and FP registers, 1-, 2- and 3-source data processing, compares, conditional
/// compare and select, FMOV immediate. Single and double only for arithmetic (FEAT_FP16 is not advertised); FCVT
/// converts to and from half. Anything else returns false for the SIMD decoders (or becomes undefined).
/// </summary>
public static unsafe partial class A64Decoder
{
    /// <summary>FP data-processing (2 source) handlers by opcode (bits 15:12); opcodes 1001-1111 are unallocated.</summary>
    private static readonly delegate*<Arm64Cpu, ref Op, void>[] ScalarFpTwoSource =
    [
        &ScalarFpHandlers.Binary<ScalarFpOperations.Mul>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.Div>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.Add>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.Sub>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.Max>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.Min>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.MaxNum>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.MinNum>,
        &ScalarFpHandlers.Binary<ScalarFpOperations.NegatedMul>,
    ];

    private static bool DecodeScalarFloatingPoint(uint raw, ref Op op)
    {
        // op0 = x0x1: bit 30 clear, bit 28 set; bit 29 (S) set is unallocated throughout the scalar FP classes.
        if ((raw & 0x7000_0000) != 0x1000_0000 || ((raw >> 24) & 0x1F) is not (0b11110 or 0b11111))
        {
            return false;
        }

        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Rm = (byte)((raw >> 16) & 0x1F);
        uint ptype = (raw >> 22) & 3;
        if (((raw >> 24) & 1) != 0)
        {
            return ScalarFpDecoding.ThreeSource(raw, ptype, ref op);
        }

        if (((raw >> 21) & 1) == 0)
        {
            return ScalarFpDecoding.FixedPointConversion(raw, ptype, ref op);
        }

        uint op3 = (raw >> 10) & 0x3F;
        if (op3 == 0)
        {
            return ScalarFpDecoding.IntegerConversion(raw, ptype, ref op);
        }

        // The rest are M = 0 only.
        if ((raw >> 31) != 0)
        {
            return false;
        }

        if ((op3 & 0x1F) == 0b10000)
        {
            return ScalarFpDecoding.OneSource(raw, ptype, ref op);
        }

        if ((op3 & 0xF) == 0b1000)
        {
            return ScalarFpDecoding.Compare(raw, ptype, ref op);
        }

        if ((op3 & 0x7) == 0b100)
        {
            return ScalarFpDecoding.Immediate(raw, ptype, ref op);
        }

        switch (op3 & 3)
        {
            case 0b01:
                return ScalarFpDecoding.ConditionalCompare(raw, ptype, ref op);
            case 0b10:
                uint opcode = (raw >> 12) & 0xF;
                if (!ScalarFpDecoding.TryArithmeticSize(ptype, ref op) || opcode >= ScalarFpTwoSource.Length)
                {
                    return false;
                }

                op.Handler = ScalarFpTwoSource[opcode];
                return true;
            case 0b11:
                if (!ScalarFpDecoding.TryArithmeticSize(ptype, ref op))
                {
                    return false;
                }

                op.Cond = (byte)((raw >> 12) & 0xF);
                op.Handler = &ScalarFpHandlers.ConditionalSelect;
                return true;
            default:
                return false;
        }
    }
}
