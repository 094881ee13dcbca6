namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic.Differential;

/// <summary>
/// The floating-point opcodes of the Advanced SIMD arithmetic classes against Unicorn, with FP special values in the
/// registers and random FPCR modes (rounding, flush-to-zero, default NaN): results and FPSR flags.
/// </summary>
public sealed class FloatingPointDifferentialTests
{
    private const int Cases = 3000;

    [Theory]
    [InlineData("three same FP", 0x9F20_0400u, 0x0E20_0400u, 201, 1)]
    [InlineData("two-register misc FP", 0x9F3E_0C00u, 0x0E20_0800u, 203, 1)]
    [InlineData("across lanes FP", 0x9F3E_0C00u, 0x0E30_0800u, 204, 4)]
    [InlineData("scalar three same FP", 0xDF20_0400u, 0x5E20_0400u, 205, 1)]
    [InlineData("scalar two-register misc FP", 0xDF3E_0C00u, 0x5E20_0800u, 207, 1)]
    [InlineData("scalar pairwise FP", 0xDF3E_0C00u, 0x5E30_0800u, 208, 3)]
    public void Floating_point_encodings_match_unicorn(string name, uint mask, uint value, int seed, int sparseness)
    {
        using var runner = new SimdDifferentialRunner();
        runner.Run(name, IntegerDifferentialTests.SeedOverride ?? seed, Cases * sparseness, random => SimdEncodings.FloatingPoint(random, mask, value), randomFpcr: true);
    }
}
