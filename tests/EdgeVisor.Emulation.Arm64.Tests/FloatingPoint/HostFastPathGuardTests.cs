using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// Guards the host fast path of Add/Sub/Mul (round to nearest, normal operands): it must give the same bits and
/// FPSR flags as the pure soft-float path, reached here through MulAdd (never fast): a + b = MulAdd(a, b, 1.0) and
/// a × b = MulAdd(±0, a, b) (zero of the product's sign), each with a single rounding. Operands are biased towards the edges of the fast path's
/// conditions: results near overflow, near the denormal range, exact cancellations.
/// </summary>
public sealed class HostFastPathGuardTests
{
    private const int Iterations = 200_000;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Fast_sums_and_products_equal_the_soft_float_path_in_value_and_flags(int size)
    {
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        int fractionBits = size == 2 ? 23 : 52;
        int maxExponent = size == 2 ? 0xFF : 0x7FF;
        ulong one = size == 2 ? 0x3F80_0000UL : 0x3FF0_0000_0000_0000UL;
        ulong signBit = 1UL << ((8 << size) - 1);
        for (int i = 0; i < Iterations; i++)
        {
            ulong a = EdgeOperand(random, fractionBits, maxExponent, signBit);
            ulong b = random.Next(6) switch
            {
                0 => a ^ signBit, // exact cancellation
                1 => (a ^ signBit) + (ulong)random.Next(-2, 3), // near cancellation
                _ => EdgeOperand(random, fractionBits, maxExponent, signBit),
            };
            uint fpcr = (random.Next(2) == 0 ? 0 : FpBits.Fz) | (random.Next(2) == 0 ? 0 : FpBits.Dn);
            string context = $"seed {seed} size {size} a {a:X} b {b:X} fpcr {fpcr:X}";

            uint fastFlags = 0;
            uint softFlags = 0;
            ulong fast = SoftFloat.Add(size, a, b, fpcr, ref fastFlags);
            ulong soft = SoftFloat.MulAdd(size, a, b, one, fpcr, ref softFlags);
            Assert.True(fast == soft && fastFlags == softFlags, $"{context} add: fast {fast:X}/{fastFlags:X} soft {soft:X}/{softFlags:X}");

            fastFlags = softFlags = 0;
            fast = SoftFloat.Sub(size, a, b, fpcr, ref fastFlags);
            soft = SoftFloat.MulAdd(size, a, b ^ signBit, one, fpcr, ref softFlags);
            Assert.True(fast == soft && fastFlags == softFlags, $"{context} sub: fast {fast:X}/{fastFlags:X} soft {soft:X}/{softFlags:X}");

            fastFlags = softFlags = 0;
            fast = SoftFloat.Mul(size, a, b, fpcr, ref fastFlags);
            soft = SoftFloat.MulAdd(size, (a ^ b) & signBit, a, b, fpcr, ref softFlags); // zero of the product's sign
            Assert.True(fast == soft && fastFlags == softFlags, $"{context} mul: fast {fast:X}/{fastFlags:X} soft {soft:X}/{softFlags:X}");
        }
    }

    private static ulong EdgeOperand(Random random, int fractionBits, int maxExponent, ulong signBit)
    {
        int bias = maxExponent >> 1;
        int exponent = random.Next(6) switch
        {
            0 => random.Next(1, 4), // smallest normals
            1 => maxExponent - 1 - random.Next(3), // largest
            2 => bias - (bias / 2) + random.Next(-30, 30), // products near the residual-exactness bound
            3 => bias + (bias / 2) + random.Next(-30, 30), // products near overflow
            _ => random.Next(1, maxExponent),
        };
        ulong fraction = FpOperands.NextULong(random) & ((1UL << fractionBits) - 1);
        if (random.Next(3) == 0)
        {
            fraction &= ~((1UL << random.Next(fractionBits)) - 1); // short significands: exact results
        }

        return (random.Next(2) == 0 ? 0 : signBit) | ((ulong)exponent << fractionBits) | fraction;
    }
}
