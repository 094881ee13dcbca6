using EdgeVisor.Emulation.Arm64.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;
using static EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding.Arrangement;
using E = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer.ElementLoops;
using F = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint.FpLoops;
using L = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer.LanewiseLoops;
using W = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer.WideningLoops;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

/// <summary>
/// Advanced SIMD two-register miscellaneous and its scalar form: U, size, opcode (bits 16:12). The FP16 forms, the
/// FRINT32/64 forms and BFCVTN are not implemented (not advertised) and stay unallocated.
/// </summary>
internal static unsafe class TwoRegisterMiscForms
{
    private const byte Fpcr = FpParameter.FromFpcr;
    private const byte Unsigned = FpParameter.UnsignedResult;
    private const byte TieEven = (byte)FpRounding.TieEven;
    private const byte Plus = (byte)FpRounding.PlusInfinity;
    private const byte Minus = (byte)FpRounding.MinusInfinity;
    private const byte Zero = (byte)FpRounding.Zero;
    private const byte Away = (byte)FpRounding.TieAway;

    public static readonly FormTable Vector = new FormTable()
        .Int(0, 0b00000, &E.Reverse, NoD, parameter: 3)
        .Int(0, 0b00001, &E.Reverse, BytesOnly, parameter: 1)
        .Int(0, 0b00010, &E.AddLongPairwise, NoD, FormShape.PairwiseLong, 1)
        .Int(0, 0b00011, &E.Unary<SignedAccumulateUnsignedOp>, NotOneD)
        .Int(0, 0b00100, &E.Unary<CountLeadingSignOp>, NoD)
        .Int(0, 0b00101, &E.Unary<PopCountOp>, BytesOnly)
        .Int(0, 0b00110, &E.AddLongPairwise, NoD, FormShape.PairwiseLong, 1, 1)
        .Int(0, 0b00111, &E.Unary<SaturatingAbsOp>, NotOneD)
        .Int(0, 0b01000, &L.SignedAgainstZero<VectorCompareGreater>, NotOneD)
        .Int(0, 0b01001, &L.SignedAgainstZero<VectorCompareEqual>, NotOneD)
        .Int(0, 0b01010, &L.SignedAgainstZero<VectorCompareGreater>, NotOneD, parameter: 1)
        .Int(0, 0b01011, &L.Signed<VectorAbs>, NotOneD)
        .Fp(0, 1, 0b01100, &F.Unary<FpCompareGreater>, FloatHigh)
        .Fp(0, 1, 0b01101, &F.Unary<FpCompareEqual>, FloatHigh)
        .Fp(0, 1, 0b01110, &F.Unary<FpCompareLessThanZero>, FloatHigh)
        .Fp(0, 1, 0b01111, &F.Unary<FpAbs>, FloatHigh)
        .Int(0, 0b10010, &W.Narrow<NarrowOp<Integer.Unsigned, Integer.Unsigned, No>>, NoD, FormShape.HalfWidth)
        .Int(0, 0b10100, &W.Narrow<NarrowOp<Signed, Signed, Yes>>, NoD, FormShape.HalfWidth)
        .Fp(0, 0, 0b10110, &F.Narrow, FloatLow | DoubleOnlyLow, FormShape.FloatNarrow, Fpcr)
        .Fp(0, 0, 0b10111, &F.Lengthen, FloatLow | DoubleOnlyLow, FormShape.FloatLong)
        .Fp(0, 0, 0b11000, &F.Unary<FpRoundToIntegral>, FloatLow, parameter: TieEven)
        .Fp(0, 1, 0b11000, &F.Unary<FpRoundToIntegral>, FloatHigh, parameter: Plus)
        .Fp(0, 0, 0b11001, &F.Unary<FpRoundToIntegral>, FloatLow, parameter: Minus)
        .Fp(0, 1, 0b11001, &F.Unary<FpRoundToIntegral>, FloatHigh, parameter: Zero)
        .Fp(0, 0, 0b11010, &F.Unary<FpToInteger>, FloatLow, parameter: TieEven)
        .Fp(0, 1, 0b11010, &F.Unary<FpToInteger>, FloatHigh, parameter: Plus)
        .Fp(0, 0, 0b11011, &F.Unary<FpToInteger>, FloatLow, parameter: Minus)
        .Fp(0, 1, 0b11011, &F.Unary<FpToInteger>, FloatHigh, parameter: Zero)
        .Fp(0, 0, 0b11100, &F.Unary<FpToInteger>, FloatLow, parameter: Away)
        .Fp(0, 1, 0b11100, &F.Unary<UnsignedRecipEstimate>, SinglesOnly)
        .Fp(0, 0, 0b11101, &F.Unary<FpFromInteger>, FloatLow)
        .Fp(0, 1, 0b11101, &F.Unary<FpRecipEstimate>, FloatHigh)
        .Int(1, 0b00000, &E.Reverse, BytesHalves, parameter: 2)
        .Int(1, 0b00010, &E.AddLongPairwise, NoD, FormShape.PairwiseLong)
        .Int(1, 0b00011, &E.Unary<UnsignedAccumulateSignedOp>, NotOneD)
        .Int(1, 0b00100, &E.Unary<CountLeadingZeroOp>, NoD)
        .Sized(1, 0b00, 0b00101, &L.Unsigned<VectorNot>, Any, FormShape.Bytes)
        .Sized(1, 0b01, 0b00101, &E.Unary<ReverseBitsOp>, Any, FormShape.Bytes)
        .Int(1, 0b00110, &E.AddLongPairwise, NoD, FormShape.PairwiseLong, 0, 1)
        .Int(1, 0b00111, &E.Unary<SaturatingNegOp>, NotOneD)
        .Int(1, 0b01000, &L.SignedAgainstZero<VectorCompareGreaterEqual>, NotOneD)
        .Int(1, 0b01001, &L.SignedAgainstZero<VectorCompareGreaterEqual>, NotOneD, parameter: 1)
        .Int(1, 0b01011, &L.Signed<VectorNegate>, NotOneD)
        .Fp(1, 1, 0b01100, &F.Unary<FpCompareGreaterEqual>, FloatHigh)
        .Fp(1, 1, 0b01101, &F.Unary<FpCompareLessEqualZero>, FloatHigh)
        .Fp(1, 1, 0b01111, &F.Unary<FpNeg>, FloatHigh)
        .Int(1, 0b10010, &W.Narrow<NarrowOp<Signed, Integer.Unsigned, Yes>>, NoD, FormShape.HalfWidth)
        .Int(1, 0b10011, &W.ShiftLeftLong, NoD, FormShape.HalfWidth)
        .Int(1, 0b10100, &W.Narrow<NarrowOp<Integer.Unsigned, Integer.Unsigned, Yes>>, NoD, FormShape.HalfWidth)
        .Fp(1, 0, 0b10110, &F.Narrow, DoubleOnlyLow, FormShape.FloatNarrow, (byte)FpRounding.Odd)
        .Fp(1, 0, 0b11000, &F.Unary<FpRoundToIntegral>, FloatLow, parameter: Away)
        .Fp(1, 0, 0b11001, &F.Unary<FpRoundToIntegral>, FloatLow, parameter: Fpcr | FpParameter.Exact)
        .Fp(1, 1, 0b11001, &F.Unary<FpRoundToIntegral>, FloatHigh, parameter: Fpcr)
        .Fp(1, 0, 0b11010, &F.Unary<FpToInteger>, FloatLow, parameter: TieEven | Unsigned)
        .Fp(1, 1, 0b11010, &F.Unary<FpToInteger>, FloatHigh, parameter: Plus | Unsigned)
        .Fp(1, 0, 0b11011, &F.Unary<FpToInteger>, FloatLow, parameter: Minus | Unsigned)
        .Fp(1, 1, 0b11011, &F.Unary<FpToInteger>, FloatHigh, parameter: Zero | Unsigned)
        .Fp(1, 0, 0b11100, &F.Unary<FpToInteger>, FloatLow, parameter: Away | Unsigned)
        .Fp(1, 1, 0b11100, &F.Unary<UnsignedRSqrtEstimate>, SinglesOnly)
        .Fp(1, 0, 0b11101, &F.Unary<FpFromInteger>, FloatLow, parameter: Unsigned)
        .Fp(1, 1, 0b11101, &F.Unary<FpRSqrtEstimate>, FloatHigh)
        .Fp(1, 1, 0b11111, &F.Unary<FpSqrt>, FloatHigh);

    public static readonly FormTable Scalar = new FormTable()
        .Int(0, 0b00011, &E.Unary<SignedAccumulateUnsignedOp>, ScalarAny)
        .Int(0, 0b00111, &E.Unary<SaturatingAbsOp>, ScalarAny)
        .Int(0, 0b01000, &L.SignedAgainstZero<VectorCompareGreater>, ScalarD)
        .Int(0, 0b01001, &L.SignedAgainstZero<VectorCompareEqual>, ScalarD)
        .Int(0, 0b01010, &L.SignedAgainstZero<VectorCompareGreater>, ScalarD, parameter: 1)
        .Int(0, 0b01011, &L.Signed<VectorAbs>, ScalarD)
        .Fp(0, 1, 0b01100, &F.Unary<FpCompareGreater>, ScalarFloatHigh)
        .Fp(0, 1, 0b01101, &F.Unary<FpCompareEqual>, ScalarFloatHigh)
        .Fp(0, 1, 0b01110, &F.Unary<FpCompareLessThanZero>, ScalarFloatHigh)
        .Int(0, 0b10100, &W.Narrow<NarrowOp<Signed, Signed, Yes>>, ScalarBhs, FormShape.HalfWidth)
        .Fp(0, 0, 0b11010, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: TieEven)
        .Fp(0, 1, 0b11010, &F.Unary<FpToInteger>, ScalarFloatHigh, parameter: Plus)
        .Fp(0, 0, 0b11011, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: Minus)
        .Fp(0, 1, 0b11011, &F.Unary<FpToInteger>, ScalarFloatHigh, parameter: Zero)
        .Fp(0, 0, 0b11100, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: Away)
        .Fp(0, 0, 0b11101, &F.Unary<FpFromInteger>, ScalarFloatLow)
        .Fp(0, 1, 0b11101, &F.Unary<FpRecipEstimate>, ScalarFloatHigh)
        .Fp(0, 1, 0b11111, &F.Unary<FpRecipExponent>, ScalarFloatHigh)
        .Int(1, 0b00011, &E.Unary<UnsignedAccumulateSignedOp>, ScalarAny)
        .Int(1, 0b00111, &E.Unary<SaturatingNegOp>, ScalarAny)
        .Int(1, 0b01000, &L.SignedAgainstZero<VectorCompareGreaterEqual>, ScalarD)
        .Int(1, 0b01001, &L.SignedAgainstZero<VectorCompareGreaterEqual>, ScalarD, parameter: 1)
        .Int(1, 0b01011, &L.Signed<VectorNegate>, ScalarD)
        .Fp(1, 1, 0b01100, &F.Unary<FpCompareGreaterEqual>, ScalarFloatHigh)
        .Fp(1, 1, 0b01101, &F.Unary<FpCompareLessEqualZero>, ScalarFloatHigh)
        .Int(1, 0b10010, &W.Narrow<NarrowOp<Signed, Integer.Unsigned, Yes>>, ScalarBhs, FormShape.HalfWidth)
        .Int(1, 0b10100, &W.Narrow<NarrowOp<Integer.Unsigned, Integer.Unsigned, Yes>>, ScalarBhs, FormShape.HalfWidth)
        .Fp(1, 0, 0b10110, &F.Narrow, ScalarDoubleOnlyLow, FormShape.FloatNarrow, (byte)FpRounding.Odd)
        .Fp(1, 0, 0b11010, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: TieEven | Unsigned)
        .Fp(1, 1, 0b11010, &F.Unary<FpToInteger>, ScalarFloatHigh, parameter: Plus | Unsigned)
        .Fp(1, 0, 0b11011, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: Minus | Unsigned)
        .Fp(1, 1, 0b11011, &F.Unary<FpToInteger>, ScalarFloatHigh, parameter: Zero | Unsigned)
        .Fp(1, 0, 0b11100, &F.Unary<FpToInteger>, ScalarFloatLow, parameter: Away | Unsigned)
        .Fp(1, 0, 0b11101, &F.Unary<FpFromInteger>, ScalarFloatLow, parameter: Unsigned)
        .Fp(1, 1, 0b11101, &F.Unary<FpRSqrtEstimate>, ScalarFloatHigh);
}
