namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    // Owned by the SIMD-data work; returns false until that group is implemented.
    private static bool DecodeSimdData(uint raw, ref Op op) => false;
}
