using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;
using static EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding.Arrangement;
using E = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer.ElementLoops;
using F = EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint.FpLoops;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

/// <summary>
/// Advanced SIMD across lanes and scalar pairwise: U, size, opcode (bits 16:12). Both fold a vector into a scalar.
/// The FP16 forms (U = 0 with the FP opcodes) are unallocated here.
/// </summary>
internal static unsafe class AcrossLanesForms
{
    public static readonly FormTable Vector = new FormTable()
        .Int(0, 0b00011, &E.AddLongAcross, AcrossInteger, parameter: 1)
        .Int(0, 0b01010, &E.Reduce<MaxOp<Signed>>, AcrossInteger)
        .Int(0, 0b11010, &E.Reduce<MinOp<Signed>>, AcrossInteger)
        .Int(0, 0b11011, &E.Reduce<AddOp>, AcrossInteger)
        .Int(1, 0b00011, &E.AddLongAcross, AcrossInteger)
        .Int(1, 0b01010, &E.Reduce<MaxOp<Unsigned>>, AcrossInteger)
        .Int(1, 0b11010, &E.Reduce<MinOp<Unsigned>>, AcrossInteger)
        .Fp(1, 0, 0b01100, &F.Reduce<FpMaxNum>, FloatAcrossLow)
        .Fp(1, 1, 0b01100, &F.Reduce<FpMinNum>, FloatAcrossHigh)
        .Fp(1, 0, 0b01111, &F.Reduce<FpMax>, FloatAcrossLow)
        .Fp(1, 1, 0b01111, &F.Reduce<FpMin>, FloatAcrossHigh);

    /// <summary>Scalar pairwise: the two elements of the low 128 bits of Vn.</summary>
    public static readonly FormTable ScalarPairwise = new FormTable()
        .Int(0, 0b11011, &E.Reduce<AddOp>, ScalarD)
        .Fp(1, 0, 0b01100, &F.Reduce<FpMaxNum>, ScalarFloatLow)
        .Fp(1, 1, 0b01100, &F.Reduce<FpMinNum>, ScalarFloatHigh)
        .Fp(1, 0, 0b01101, &F.Reduce<FpAdd>, ScalarFloatLow)
        .Fp(1, 0, 0b01111, &F.Reduce<FpMax>, ScalarFloatLow)
        .Fp(1, 1, 0b01111, &F.Reduce<FpMin>, ScalarFloatHigh);
}
