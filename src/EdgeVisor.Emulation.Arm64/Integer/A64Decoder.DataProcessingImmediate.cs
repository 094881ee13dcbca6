namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    // Owned by the integer work; returns false until that group is implemented.
    private static bool DecodeDataProcessingImmediate(uint raw, ref Op op) => false;
}
