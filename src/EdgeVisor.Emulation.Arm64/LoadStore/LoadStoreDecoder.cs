using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Atomic;
using EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;
using EdgeVisor.Emulation.Arm64.LoadStore.Pair;
using EdgeVisor.Emulation.Arm64.LoadStore.SingleRegister;
using EdgeVisor.Emulation.Arm64.LoadStore.Structures;

namespace EdgeVisor.Emulation.Arm64.LoadStore;

/// <summary>
/// Splits the "Loads and Stores" group (bits 28:25 = x1x0) into its encoding classes (ARM ARM C4.1, table
/// "Encoding table for the Loads and Stores group": op0 = bits 31:28, op1 = bit 26, op2 = bits 24:23,
/// op3 = bits 21:16, op4 = bits 11:10) and hands each to its class decoder. Classes this core does not implement
/// (memory tags, RCpc unscaled, memory copy/set, pointer-authenticated loads, LORegions) return false and execute
/// as undefined.
/// </summary>
internal static class LoadStoreDecoder
{
    public static bool Decode(uint raw, ref Op op)
    {
        bool vector = (raw & (1u << 26)) != 0;
        uint op2 = (raw >> 23) & 3;
        switch ((raw >> 28) & 3)
        {
            case 0b00:
                if (vector)
                {
                    // Advanced SIMD structures: op0 = 0x00 (bit 31 clear; bit 30 is Q).
                    return (raw & (1u << 31)) == 0 && StructureDecoder.Decode(raw, ref op);
                }

                // op2 = 0x: exclusive, ordered and compare-and-swap; op2 = 1x with op0 = 1101 is memory tagging.
                return op2 < 2 && ExclusiveDecoder.Decode(raw, ref op);

            case 0b01:
                // op2 = 0x: literal loads; 1x: RCpc unscaled (LDAPUR/STLUR) and memory copy/set, not implemented.
                return op2 < 2 && SingleRegisterDecoder.DecodeLiteral(raw, ref op);

            case 0b10:
                return PairDecoder.Decode(raw, ref op);

            default:
                if (op2 >= 2)
                {
                    return SingleRegisterDecoder.DecodeUnsignedOffset(raw, ref op);
                }

                uint op4 = (raw >> 10) & 3;
                if ((raw & (1u << 21)) == 0)
                {
                    return SingleRegisterDecoder.DecodeImmediate9(raw, ref op);
                }

                return op4 switch
                {
                    0b00 => AtomicDecoder.Decode(raw, ref op),
                    0b10 => SingleRegisterDecoder.DecodeRegisterOffset(raw, ref op),
                    _ => false, // LDRAA/LDRAB (pointer authentication): not implemented or advertised
                };
        }
    }
}
