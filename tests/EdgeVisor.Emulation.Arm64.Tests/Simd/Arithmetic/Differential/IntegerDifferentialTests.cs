namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic.Differential;

/// <summary>
/// Random encodings of each Advanced SIMD arithmetic class (every free bit random: U, size, Q, opcode, registers)
/// against Unicorn: results, FPSR.QC, and which encodings are undefined. These cover the integer operations; the
/// floating-point opcodes of the same classes are in <see cref="FloatingPointDifferentialTests"/>.
/// </summary>
public sealed class IntegerDifferentialTests
{
    private const int Cases = 3000;

    [Theory]
    [InlineData("three same", 0x9F20_0400u, 0x0E20_0400u, 101, 1)]
    [InlineData("three different", 0x9F20_0C00u, 0x0E20_0000u, 102, 1)]
    [InlineData("two-register misc", 0x9F3E_0C00u, 0x0E20_0800u, 103, 1)]
    [InlineData("across lanes", 0x9F3E_0C00u, 0x0E30_0800u, 104, 3)]
    [InlineData("scalar three same", 0xDF20_0400u, 0x5E20_0400u, 105, 1)]
    [InlineData("scalar three different", 0xDF20_0C00u, 0x5E20_0000u, 106, 3)]
    [InlineData("scalar two-register misc", 0xDF3E_0C00u, 0x5E20_0800u, 107, 1)]
    [InlineData("scalar pairwise", 0xDF3E_0C00u, 0x5E30_0800u, 108, 3)]
    public void Integer_encodings_match_unicorn(string name, uint mask, uint value, int seed, int sparseness)
    {
        // Classes with few allocated opcodes get more random encodings so a few hundred of them execute.
        using var runner = new SimdDifferentialRunner();
        runner.Run(name, SeedOverride ?? seed, Cases * sparseness, random => SimdEncodings.Integer(random, mask, value), randomFpcr: false);
    }

    internal static int? SeedOverride =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_SIMD_SEED"), out int seed) ? seed : null;
}

/// <summary>Random encodings within a class pattern, split into the integer and the floating-point opcodes.</summary>
internal static class SimdEncodings
{
    public static uint Random(Random random, uint mask, uint value) => value | ((uint)random.NextInt64(0, 1L << 32) & ~mask);

    /// <summary>A random encoding of the class whose opcode is not a floating-point one.</summary>
    public static uint Integer(Random random, uint mask, uint value)
    {
        while (true)
        {
            uint encoding = Random(random, mask, value);
            if (!IsFloatingPoint(encoding))
            {
                return encoding;
            }
        }
    }

    /// <summary>A random encoding of the class whose opcode is a floating-point one.</summary>
    public static uint FloatingPoint(Random random, uint mask, uint value)
    {
        while (true)
        {
            uint encoding = Random(random, mask, value);
            if (IsFloatingPoint(encoding))
            {
                return encoding;
            }
        }
    }

    /// <summary>Whether the opcode of an arithmetic-class encoding is one of the FP (SoftFloat) operations.</summary>
    public static bool IsFloatingPoint(uint encoding)
    {
        bool threeSame = (encoding & (1u << 21)) != 0 && (encoding & (1u << 10)) != 0;
        bool threeDifferent = (encoding & (1u << 21)) != 0 && ((encoding >> 10) & 3) == 0;
        bool acrossOrPairwise = ((encoding >> 17) & 0x1F) == 0b11000;
        uint opcode5 = (encoding >> 12) & 0x1F;
        if (threeSame)
        {
            return ((encoding >> 11) & 0x1F) >= 0b11000;
        }

        if (threeDifferent)
        {
            return false;
        }

        if (acrossOrPairwise)
        {
            bool scalar = (encoding & (1u << 28)) != 0;
            return scalar ? opcode5 != 0b11011 : opcode5 is 0b01100 or 0b01111 or 0b01101;
        }

        return opcode5 is >= 0b01100 and <= 0b01111 || opcode5 >= 0b10110;
    }
}
