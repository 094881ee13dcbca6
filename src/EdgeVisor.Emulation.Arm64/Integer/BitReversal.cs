namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>RBIT by swapping ever smaller groups (no per-bit loop).</summary>
internal static class BitReversal
{
    public static ulong Reverse64(ulong value)
    {
        value = ((value >> 1) & 0x5555_5555_5555_5555) | ((value & 0x5555_5555_5555_5555) << 1);
        value = ((value >> 2) & 0x3333_3333_3333_3333) | ((value & 0x3333_3333_3333_3333) << 2);
        value = ((value >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((value & 0x0F0F_0F0F_0F0F_0F0F) << 4);
        return global::System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
    }
}
