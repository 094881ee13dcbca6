using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// Decodes "Advanced SIMD shift by immediate" and "Advanced SIMD scalar shift by immediate" (immh != 0). The
/// element size is the highest set bit of immh; right shifts are 2·esize − immh:immb, left shifts immh:immb − esize.
/// </summary>
internal static unsafe class ShiftImmediateDecoder
{
    private enum Form : byte
    {
        None,

        /// <summary>Same-size result, shift right by 1..esize.</summary>
        Right,

        /// <summary>Same-size result, shift left by 0..esize−1.</summary>
        Left,

        /// <summary>Narrowing right shift; scalar only for the saturating ones.</summary>
        Narrow,

        /// <summary>Widening left shift (vector only).</summary>
        Long,

        /// <summary>Fixed-point conversion: single or double, fraction bits as a right shift.</summary>
        Convert,
    }

    /// <summary>Where a scalar form exists.</summary>
    private enum ScalarRule : byte
    {
        /// <summary>No scalar form (SHRN, RSHRN, SSHLL, USHLL).</summary>
        None,

        /// <summary>Only D elements (the plain shifts and inserts).</summary>
        DoublewordOnly,

        /// <summary>Any element size the vector form allows.</summary>
        AnySize,
    }

    private readonly struct Entry(Form form, ScalarRule scalar, delegate*<Arm64Cpu, ref Op, void> handler, delegate*<Arm64Cpu, ref Op, void> vectorHandler)
    {
        public readonly Form Form = form;
        public readonly ScalarRule Scalar = scalar;
        public readonly delegate*<Arm64Cpu, ref Op, void> Handler = handler;

        /// <summary>A whole-register version for the vector form, or null to use <see cref="Handler"/>.</summary>
        public readonly delegate*<Arm64Cpu, ref Op, void> VectorHandler = vectorHandler;
    }

    /// <summary>Indexed by U:opcode (6 bits); the ARM ARM table of the class.</summary>
    private static readonly Entry[] Table = BuildTable();

    /// <summary>Vector form: 0 Q U 011110 immh immb opcode 1 Rn Rd.</summary>
    public static bool DecodeVector(uint raw, ref Op op) => Decode(raw, ref op, scalar: false);

    /// <summary>Scalar form: 01 U 111110 immh immb opcode 1 Rn Rd.</summary>
    public static bool DecodeScalar(uint raw, ref Op op) => Decode(raw, ref op, scalar: true);

    private static bool Decode(uint raw, ref Op op, bool scalar)
    {
        uint immh = (raw >> 19) & 0xF;
        if (immh == 0)
        {
            return false; // modified immediate (vector) or unallocated (scalar)
        }

        bool q = ((raw >> 30) & 1) != 0;
        uint u = (raw >> 29) & 1;
        uint opcode = (raw >> 11) & 0x1F;
        Entry entry = Table[(int)((u << 5) | opcode)];
        if (entry.Form == Form.None || (scalar && entry.Scalar == ScalarRule.None))
        {
            return false;
        }

        int size = 31 - System.Numerics.BitOperations.LeadingZeroCount(immh); // highest set bit of immh
        int esize = 8 << size;
        int immhb = (int)((raw >> 16) & 0x7F);
        bool doubleword = size == 3;
        switch (entry.Form)
        {
            case Form.Right or Form.Left:
                if (scalar ? entry.Scalar == ScalarRule.DoublewordOnly && !doubleword : doubleword && !q)
                {
                    return false;
                }

                op.Amount = (byte)(entry.Form == Form.Right ? (2 * esize) - immhb : immhb - esize);
                op.A = (byte)(scalar ? 1 : VectorElements.Count(size, q));
                op.B = (byte)(q && !scalar ? 1 : 0);
                break;
            case Form.Narrow:
                if (doubleword)
                {
                    return false;
                }

                op.Amount = (byte)((2 * esize) - immhb);
                op.A = (byte)(scalar ? 1 : 8 >> size);
                op.B = (byte)(q && !scalar ? 1 : 0);
                break;
            case Form.Long:
                if (doubleword)
                {
                    return false;
                }

                op.Amount = (byte)(immhb - esize);
                op.A = (byte)(8 >> size);
                op.B = (byte)(q ? 1 : 0);
                break;
            default: // Convert: immh 0001 is reserved, 001x is the FP16 form (FEAT_FP16 not implemented)
                if (size < 2 || (!scalar && doubleword && !q))
                {
                    return false;
                }

                op.Amount = (byte)((2 * esize) - immhb);
                op.A = (byte)(scalar ? 1 : VectorElements.Count(size, q));
                op.B = (byte)(q && !scalar ? 1 : 0);
                break;
        }

        op.Size = (byte)size;
        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Handler = !scalar && entry.VectorHandler != null ? entry.VectorHandler : entry.Handler;
        return true;
    }

    private static Entry[] BuildTable()
    {
        var table = new Entry[64];
        void Add(uint u, uint opcode, Form form, ScalarRule scalar, delegate*<Arm64Cpu, ref Op, void> handler, delegate*<Arm64Cpu, ref Op, void> vectorHandler = null) =>
            table[(u << 5) | opcode] = new Entry(form, scalar, handler, vectorHandler);

        const ScalarRule D = ScalarRule.DoublewordOnly;
        const ScalarRule Any = ScalarRule.AnySize;
        const ScalarRule No = ScalarRule.None;

        Add(0, 0b00000, Form.Right, D, &LaneLoops.ShiftSame<SignedShiftRight>, &VectorShifts.SignedShiftRight);
        Add(1, 0b00000, Form.Right, D, &LaneLoops.ShiftSame<UnsignedShiftRight>, &VectorShifts.UnsignedShiftRight);
        Add(0, 0b00010, Form.Right, D, &LaneLoops.ShiftSame<SignedShiftRightAccumulate>);
        Add(1, 0b00010, Form.Right, D, &LaneLoops.ShiftSame<UnsignedShiftRightAccumulate>);
        Add(0, 0b00100, Form.Right, D, &LaneLoops.ShiftSame<SignedRoundingShiftRight>);
        Add(1, 0b00100, Form.Right, D, &LaneLoops.ShiftSame<UnsignedRoundingShiftRight>);
        Add(0, 0b00110, Form.Right, D, &LaneLoops.ShiftSame<SignedRoundingShiftRightAccumulate>);
        Add(1, 0b00110, Form.Right, D, &LaneLoops.ShiftSame<UnsignedRoundingShiftRightAccumulate>);
        Add(1, 0b01000, Form.Right, D, &LaneLoops.ShiftSame<ShiftRightInsert>);
        Add(0, 0b01010, Form.Left, D, &LaneLoops.ShiftSame<ShiftLeft>, &VectorShifts.ShiftLeft);
        Add(1, 0b01010, Form.Left, D, &LaneLoops.ShiftSame<ShiftLeftInsert>);
        Add(1, 0b01100, Form.Left, Any, &LaneLoops.ShiftSame<SignedSaturatingShiftLeftUnsigned>);
        Add(0, 0b01110, Form.Left, Any, &LaneLoops.ShiftSame<SignedSaturatingShiftLeft>);
        Add(1, 0b01110, Form.Left, Any, &LaneLoops.ShiftSame<UnsignedSaturatingShiftLeft>);
        Add(0, 0b10000, Form.Narrow, No, &LaneLoops.ShiftNarrow<ShiftRightNarrow>, &VectorShifts.ShiftRightNarrow);
        Add(0, 0b10001, Form.Narrow, No, &LaneLoops.ShiftNarrow<RoundingShiftRightNarrow>);
        Add(1, 0b10000, Form.Narrow, Any, &LaneLoops.ShiftNarrow<SignedSaturatingShiftRightUnsignedNarrow>);
        Add(1, 0b10001, Form.Narrow, Any, &LaneLoops.ShiftNarrow<SignedSaturatingRoundingShiftRightUnsignedNarrow>);
        Add(0, 0b10010, Form.Narrow, Any, &LaneLoops.ShiftNarrow<SignedSaturatingShiftRightNarrow>);
        Add(0, 0b10011, Form.Narrow, Any, &LaneLoops.ShiftNarrow<SignedSaturatingRoundingShiftRightNarrow>);
        Add(1, 0b10010, Form.Narrow, Any, &LaneLoops.ShiftNarrow<UnsignedSaturatingShiftRightNarrow>);
        Add(1, 0b10011, Form.Narrow, Any, &LaneLoops.ShiftNarrow<UnsignedSaturatingRoundingShiftRightNarrow>);
        Add(0, 0b10100, Form.Long, No, &LaneLoops.ShiftLong<SignedShiftLeftLong>, &VectorShifts.SignedShiftLeftLong);
        Add(1, 0b10100, Form.Long, No, &LaneLoops.ShiftLong<UnsignedShiftLeftLong>, &VectorShifts.UnsignedShiftLeftLong);
        Add(0, 0b11100, Form.Convert, Any, &FixedPointConversions.SignedToFloat);
        Add(1, 0b11100, Form.Convert, Any, &FixedPointConversions.UnsignedToFloat);
        Add(0, 0b11111, Form.Convert, Any, &FixedPointConversions.FloatToSigned);
        Add(1, 0b11111, Form.Convert, Any, &FixedPointConversions.FloatToUnsigned);
        return table;
    }
}
