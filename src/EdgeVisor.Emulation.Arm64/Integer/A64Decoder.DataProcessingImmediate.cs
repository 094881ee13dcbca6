using EdgeVisor.Emulation.Arm64.Integer;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>Data processing — immediate (ARM ARM C4.1.2): split by op0 = bits 25:23.</summary>
public static unsafe partial class A64Decoder
{
    private static bool DecodeDataProcessingImmediate(uint raw, ref Op op) => ((raw >> 23) & 7) switch
    {
        0b000 or 0b001 => ImmediateDecoders.PcRelative(raw, ref op),
        0b010 => ImmediateDecoders.AddSubtract(raw, ref op),
        0b100 => ImmediateDecoders.Logical(raw, ref op),
        0b101 => ImmediateDecoders.MoveWide(raw, ref op),
        0b110 => ImmediateDecoders.Bitfield(raw, ref op),
        0b111 => ImmediateDecoders.Extract(raw, ref op),
        _ => false, // 011: add/subtract with tags (MTE, not implemented)
    };
}
