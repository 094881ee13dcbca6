namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    // Owned by the load/store work; returns false until that group is implemented.
    private static bool DecodeLoadsStores(uint raw, ref Op op) => false;
}
