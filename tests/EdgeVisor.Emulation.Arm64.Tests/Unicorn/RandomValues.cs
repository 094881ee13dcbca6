namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>Register values that find bugs: edge values mixed with uniformly random ones.</summary>
internal static class RandomValues
{
    private static readonly ulong[] IntegerEdges =
    [
        0, 1, 2, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
        0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF_8000_0000, 0x80, 0xFF, 0xFFFF, 0x8000, 63, 64, 31, 32,
    ];

    private static readonly ulong[] DoubleEdges =
    [
        0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
        0x7FF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF8_0000_0000_0001, 0x0000_0000_0000_0001, 0x000F_FFFF_FFFF_FFFF,
        0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x4340_0000_0000_0000, 0x41E0_0000_0000_0000, 0xC3E0_0000_0000_0000,
    ];

    private static readonly uint[] SingleEdges =
    [
        0, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7FA0_0000, 0xFFC0_0001,
        0x0000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0x4B00_0000, 0x4F00_0000, 0xCF00_0000, 0x3F00_0000,
    ];

    /// <summary>An integer register value: a third edge values, a third small, a third uniformly random.</summary>
    public static ulong Integer(Random rng) => rng.Next(3) switch
    {
        0 => IntegerEdges[rng.Next(IntegerEdges.Length)],
        1 => (ulong)(long)rng.Next(-300, 300),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
    };

    /// <summary>A vector register: random bytes, or lanes of interesting doubles or singles (NaNs, infinities, denormals, ±0, ±1).</summary>
    public static UInt128 Vector(Random rng)
    {
        switch (rng.Next(4))
        {
            case 0:
                return new UInt128((ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63));
            case 1:
                return new UInt128(Double(rng), Double(rng));
            case 2:
                return new UInt128(((ulong)Single(rng) << 32) | Single(rng), ((ulong)Single(rng) << 32) | Single(rng));
            default:
                return new UInt128(0, Double(rng));
        }
    }

    private static ulong Double(Random rng) => rng.Next(2) == 0
        ? DoubleEdges[rng.Next(DoubleEdges.Length)]
        : BitConverter.DoubleToUInt64Bits((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-70, 70)));

    private static uint Single(Random rng) => rng.Next(2) == 0
        ? SingleEdges[rng.Next(SingleEdges.Length)]
        : BitConverter.SingleToUInt32Bits((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 30))));
}
