using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

/// <summary>
/// Matches the Advanced SIMD arithmetic class patterns and fills an <see cref="Op"/> from the class's
/// <see cref="FormTable"/>. Class patterns (mask, value) cover bit 31, bits 28:24 (vector 0 Q U 01110, scalar 01 U 11110),
/// bits 21:17 where the class fixes them, and bits 11:10.
/// </summary>
internal static unsafe class SimdArithmeticDecoder
{
    private readonly record struct ClassPattern(uint Mask, uint Value, FormTable Forms, int OpcodeShift, int OpcodeBits, bool Scalar, bool Unary, int ScalarAmount);

    private static readonly ClassPattern[] Classes =
    [
        new(0x9F20_0400, 0x0E20_0400, ThreeSameForms.Vector, 11, 5, false, false, 0),
        new(0x9F20_0C00, 0x0E20_0000, ThreeDifferentForms.Vector, 12, 4, false, false, 0),
        new(0x9F3E_0C00, 0x0E20_0800, TwoRegisterMiscForms.Vector, 12, 5, false, true, 0),
        new(0x9F3E_0C00, 0x0E30_0800, AcrossLanesForms.Vector, 12, 5, false, true, 0),
        new(0xDF20_0400, 0x5E20_0400, ThreeSameForms.Scalar, 11, 5, true, false, 1),
        new(0xDF20_0C00, 0x5E20_0000, ThreeDifferentForms.Scalar, 12, 4, true, false, 1),
        new(0xDF3E_0C00, 0x5E20_0800, TwoRegisterMiscForms.Scalar, 12, 5, true, true, 1),
        new(0xDF3E_0C00, 0x5E30_0800, AcrossLanesForms.ScalarPairwise, 12, 5, true, true, 2),
    ];

    public static bool Decode(uint raw, ref Op op)
    {
        foreach (var pattern in Classes)
        {
            if ((raw & pattern.Mask) == pattern.Value)
            {
                return Fill(raw, pattern, ref op);
            }
        }

        return false;
    }

    private static bool Fill(uint raw, in ClassPattern pattern, ref Op op)
    {
        uint u = (raw >> 29) & 1, size = (raw >> 22) & 3, opcode = (raw >> pattern.OpcodeShift) & ((1u << pattern.OpcodeBits) - 1);
        uint q = pattern.Scalar ? 0 : (raw >> 30) & 1;
        ref SimdForm form = ref pattern.Forms.Find(u, size, opcode, q, out bool found);
        if (!found)
        {
            return false;
        }

        op.Handler = form.Handler;
        op.Rd = (byte)(raw & 31);
        op.Rn = (byte)((raw >> 5) & 31);
        op.Rm = pattern.Unary ? op.Rn : (byte)((raw >> 16) & 31);
        op.A = (byte)q;
        op.B = form.Parameter;
        op.C = form.Extra;
        (op.Size, op.Amount) = Shape(form.Shape, (int)size, q != 0);
        if (pattern.Scalar)
        {
            op.Amount = (byte)pattern.ScalarAmount;
        }

        return true;
    }

    /// <summary>Element size and count for a shape (see <see cref="FormShape"/>).</summary>
    private static (byte Size, byte Amount) Shape(FormShape shape, int size, bool q)
    {
        int bytes = q ? 16 : 8;
        int elementSize = shape switch
        {
            FormShape.Float or FormShape.FloatNarrow => 2 + (size & 1),
            FormShape.FloatLong => 1 + (size & 1),
            FormShape.Bytes => 0,
            _ => size,
        };
        int amount = shape switch
        {
            FormShape.HalfWidth or FormShape.FloatLong => 8 >> elementSize,
            FormShape.FloatNarrow => 8 >> (elementSize - 1),
            FormShape.PairwiseLong => (bytes >> elementSize) / 2,
            _ => bytes >> elementSize,
        };
        return ((byte)elementSize, (byte)amount);
    }
}
