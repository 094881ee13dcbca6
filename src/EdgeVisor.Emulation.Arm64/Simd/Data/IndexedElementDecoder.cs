using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// Decodes "Advanced SIMD vector x indexed element" and its scalar form. Integer forms take H (index H:L:M, Vm in
/// V0..V15) or S (index H:L, Vm = M:Rm); FP forms take S or D (index H, L must be 0). The FP16, dot-product,
/// complex and RDM-accumulate forms are not implemented (their features are not advertised) and stay undefined.
/// </summary>
internal static unsafe class IndexedElementDecoder
{
    private enum Form : byte
    {
        None,

        /// <summary>Integer, same-size result.</summary>
        Same,

        /// <summary>Integer, widening ("2" takes the upper half of Vn).</summary>
        Long,

        /// <summary>Floating point, single or double.</summary>
        Float,
    }

    private readonly struct Entry(Form form, bool scalar, delegate*<Arm64Cpu, ref Op, void> handler)
    {
        public readonly Form Form = form;

        /// <summary>Whether the scalar class has this opcode.</summary>
        public readonly bool Scalar = scalar;

        public readonly delegate*<Arm64Cpu, ref Op, void> Handler = handler;
    }

    /// <summary>Indexed by U:opcode (5 bits).</summary>
    private static readonly Entry[] Table = BuildTable();

    /// <summary>Vector form: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd.</summary>
    public static bool DecodeVector(uint raw, ref Op op) => Decode(raw, ref op, scalar: false);

    /// <summary>Scalar form: 01 U 11111 size L M Rm opcode H 0 Rn Rd.</summary>
    public static bool DecodeScalar(uint raw, ref Op op) => Decode(raw, ref op, scalar: true);

    private static bool Decode(uint raw, ref Op op, bool scalar)
    {
        bool q = ((raw >> 30) & 1) != 0;
        uint u = (raw >> 29) & 1;
        int size = (int)((raw >> 22) & 3);
        uint l = (raw >> 21) & 1;
        uint m = (raw >> 20) & 1;
        uint rm = (raw >> 16) & 0xF;
        uint opcode = (raw >> 12) & 0xF;
        uint h = (raw >> 11) & 1;
        Entry entry = Table[(int)((u << 4) | opcode)];
        if (entry.Form == Form.None || (scalar && !entry.Scalar))
        {
            return false;
        }

        if (entry.Form == Form.Float)
        {
            // size 0x is the FP16 form (FEAT_FP16) or unallocated; D needs L = 0 and, as a vector, Q = 1.
            if (size < 2 || (size == 3 && (l != 0 || (!scalar && !q))))
            {
                return false;
            }

            op.C = (byte)(size == 2 ? (h << 1) | l : h);
            op.Rm = (byte)((m << 4) | rm);
        }
        else
        {
            if (size is 0 or 3)
            {
                return false;
            }

            op.C = (byte)(size == 1 ? (h << 2) | (l << 1) | m : (h << 1) | l);
            op.Rm = (byte)(size == 1 ? rm : (m << 4) | rm);
        }

        op.Size = (byte)size;
        if (scalar)
        {
            op.A = 1;
        }
        else
        {
            op.A = (byte)(entry.Form == Form.Long ? 8 >> size : VectorElements.Count(size, q));
            op.B = (byte)(q ? 1 : 0);
        }

        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Handler = entry.Handler;
        return true;
    }

    private static Entry[] BuildTable()
    {
        var table = new Entry[32];
        void Add(uint u, uint opcode, Form form, bool scalar, delegate*<Arm64Cpu, ref Op, void> handler) =>
            table[(u << 4) | opcode] = new Entry(form, scalar, handler);

        Add(0, 0b0001, Form.Float, true, &IndexedFloatingPoint.MultiplyAdd);
        Add(0, 0b0101, Form.Float, true, &IndexedFloatingPoint.MultiplySubtract);
        Add(0, 0b1001, Form.Float, true, &IndexedFloatingPoint.Multiply);
        Add(1, 0b1001, Form.Float, true, &IndexedFloatingPoint.MultiplyExtended);
        Add(0, 0b1000, Form.Same, false, &VectorByElement.Multiply);
        Add(1, 0b0000, Form.Same, false, &VectorByElement.MultiplyAdd);
        Add(1, 0b0100, Form.Same, false, &VectorByElement.MultiplySubtract);
        Add(0, 0b1100, Form.Same, true, &LaneLoops.IndexedSame<SignedSaturatingDoublingMultiplyHigh>);
        Add(0, 0b1101, Form.Same, true, &LaneLoops.IndexedSame<SignedSaturatingRoundingDoublingMultiplyHigh>);
        Add(0, 0b1010, Form.Long, false, &LaneLoops.IndexedLong<SignedMultiplyLong>);
        Add(1, 0b1010, Form.Long, false, &LaneLoops.IndexedLong<UnsignedMultiplyLong>);
        Add(0, 0b0010, Form.Long, false, &LaneLoops.IndexedLong<SignedMultiplyAddLong>);
        Add(1, 0b0010, Form.Long, false, &LaneLoops.IndexedLong<UnsignedMultiplyAddLong>);
        Add(0, 0b0110, Form.Long, false, &LaneLoops.IndexedLong<SignedMultiplySubtractLong>);
        Add(1, 0b0110, Form.Long, false, &LaneLoops.IndexedLong<UnsignedMultiplySubtractLong>);
        Add(0, 0b1011, Form.Long, true, &LaneLoops.IndexedLong<SignedSaturatingDoublingMultiplyLong>);
        Add(0, 0b0011, Form.Long, true, &LaneLoops.IndexedLong<SignedSaturatingDoublingMultiplyAddLong>);
        Add(0, 0b0111, Form.Long, true, &LaneLoops.IndexedLong<SignedSaturatingDoublingMultiplySubtractLong>);
        return table;
    }
}
