using EdgeVisor.Emulation.Arm64.LoadStore;

namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    /// <summary>Loads and stores (op0 = x1x0): see <see cref="LoadStoreDecoder"/>.</summary>
    private static bool DecodeLoadsStores(uint raw, ref Op op) => LoadStoreDecoder.Decode(raw, ref op);
}
