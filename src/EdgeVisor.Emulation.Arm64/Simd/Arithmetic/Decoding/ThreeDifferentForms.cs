using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;
using static EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding.Arrangement;
using W = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer.WideningLoops;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

/// <summary>
/// Advanced SIMD three different and scalar three different: U, size, opcode (bits 15:12). Parameter = 1 when the
/// narrow sources are signed. The size field is the narrow element size; Q selects the "2" (upper half) forms.
/// </summary>
internal static unsafe class ThreeDifferentForms
{
    private const FormShape Half = FormShape.HalfWidth;

    public static readonly FormTable Vector = new FormTable()
        .Int(0, 0b0000, &W.Long<AddLongOp>, NoD, Half, 1)
        .Int(0, 0b0001, &W.Wide<AddLongOp>, NoD, Half, 1)
        .Int(0, 0b0010, &W.Long<SubLongOp>, NoD, Half, 1)
        .Int(0, 0b0011, &W.Wide<SubLongOp>, NoD, Half, 1)
        .Int(0, 0b0100, &W.Narrow<HighNarrowOp<No, No>>, NoD, Half)
        .Int(0, 0b0101, &W.Long<AbsoluteDifferenceAccumulateLongOp>, NoD, Half, 1)
        .Int(0, 0b0110, &W.Narrow<HighNarrowOp<Yes, No>>, NoD, Half)
        .Int(0, 0b0111, &W.Long<AbsoluteDifferenceLongOp>, NoD, Half, 1)
        .Int(0, 0b1000, &W.Long<MulAddLongOp>, NoD, Half, 1)
        .Int(0, 0b1001, &W.Long<SaturatingDoublingMulLongOp<Yes, No>>, HalvesSingles, Half, 1)
        .Int(0, 0b1010, &W.Long<MulSubLongOp>, NoD, Half, 1)
        .Int(0, 0b1011, &W.Long<SaturatingDoublingMulLongOp<Yes, Yes>>, HalvesSingles, Half, 1)
        .Int(0, 0b1100, &W.Long<MulLongOp>, NoD, Half, 1)
        .Int(0, 0b1101, &W.Long<SaturatingDoublingMulLongOp<No, No>>, HalvesSingles, Half, 1)
        .Sized(0, 0b00, 0b1110, &W.Long<PolynomialMulLongOp>, Any, Half)
        .Sized(0, 0b11, 0b1110, &W.PolynomialMulLong64, Any, Half)
        .Int(1, 0b0000, &W.Long<AddLongOp>, NoD, Half)
        .Int(1, 0b0001, &W.Wide<AddLongOp>, NoD, Half)
        .Int(1, 0b0010, &W.Long<SubLongOp>, NoD, Half)
        .Int(1, 0b0011, &W.Wide<SubLongOp>, NoD, Half)
        .Int(1, 0b0100, &W.Narrow<HighNarrowOp<No, Yes>>, NoD, Half)
        .Int(1, 0b0101, &W.Long<AbsoluteDifferenceAccumulateLongOp>, NoD, Half)
        .Int(1, 0b0110, &W.Narrow<HighNarrowOp<Yes, Yes>>, NoD, Half)
        .Int(1, 0b0111, &W.Long<AbsoluteDifferenceLongOp>, NoD, Half)
        .Int(1, 0b1000, &W.Long<MulAddLongOp>, NoD, Half)
        .Int(1, 0b1010, &W.Long<MulSubLongOp>, NoD, Half)
        .Int(1, 0b1100, &W.Long<MulLongOp>, NoD, Half);

    public static readonly FormTable Scalar = new FormTable()
        .Int(0, 0b1001, &W.Long<SaturatingDoublingMulLongOp<Yes, No>>, ScalarHs, Half, 1)
        .Int(0, 0b1011, &W.Long<SaturatingDoublingMulLongOp<Yes, Yes>>, ScalarHs, Half, 1)
        .Int(0, 0b1101, &W.Long<SaturatingDoublingMulLongOp<No, No>>, ScalarHs, Half, 1);
}
