namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>Operand generator for FP tests: edge cases (zeros, infinities, NaNs, denormals, extremes, values near ties) plus random patterns.</summary>
internal static class FpSamples
{
    /// <summary>Bit patterns that exercise the special paths.</summary>
    public static readonly uint[] EdgeCases =
    [
        0x0000_0000, 0x8000_0000, // ±0
        0x7F80_0000, 0xFF80_0000, // ±inf
        0x7FC0_0000, 0xFFC0_0001, 0x7F80_0001, 0xFFA0_0000, // quiet and signalling NaNs
        0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x0040_0000, // denormals
        0x0080_0000, 0x8080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, // min/max normal
        0x3F80_0000, 0xBF80_0000, 0x3F80_0001, 0x3FFF_FFFF, 0x4000_0000, 0x3F00_0000, // around 1, 2, 0.5
        0x4B00_0000, 0x4B00_0001, 0x4AFF_FFFF, 0x3FC0_0000, 0x4020_0000, 0xBFC0_0000, // 2^23 neighbourhood and .5 ties
        0x4F00_0000, 0x4EFF_FFFF, 0xCF00_0000, 0x4F80_0000, 0xCF00_0001, // int32/uint32 range edges
        0x3380_0000, 0x3400_0000, 0x0080_0001, 0x00FF_FFFF, 0x7F00_0000, 0x0100_0000,
    ];

    public static uint Next(Random random)
    {
        int choice = random.Next(8);
        if (choice < 2)
        {
            return EdgeCases[random.Next(EdgeCases.Length)];
        }

        if (choice == 2)
        {
            // Small exponent spread so additions cancel and round near ties.
            return (uint)(random.Next(2) << 31) | (uint)((0x7E + random.Next(4)) << 23) | (uint)random.Next(1 << 23);
        }

        if (choice == 3)
        {
            // Denormals and tiny normals.
            return (uint)(random.Next(2) << 31) | (uint)(random.Next(3) << 23) | (uint)random.Next(1 << 23);
        }

        uint bits = (uint)random.Next() ^ ((uint)random.Next() << 1);
        return bits;
    }

    public static bool IsNaN(uint bits) => (bits & 0x7FFF_FFFF) > 0x7F80_0000;

    public static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    public static uint B(float value) => BitConverter.SingleToUInt32Bits(value);
}
