using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Structures;

/// <summary>Decodes the Advanced SIMD load/store structure classes (multiple, single, replicate).</summary>
internal static class StructureDecoder
{
    public static bool Decode(uint raw, ref Op op) => false;
}
