namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    // Owned by the SIMD-arithmetic work; returns false until that group is implemented.
    private static bool DecodeSimdArithmetic(uint raw, ref Op op) => false;
}
