namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// Random FP bit patterns biased towards the interesting cases: zeros, denormals, infinities, quiet and signalling
/// NaNs, values near overflow and underflow, near 1.0 and integers, plus uniformly random patterns.
/// </summary>
internal static class FpOperands
{
    public static ulong Next(Random random, int size)
    {
        int fractionBits = size switch { 1 => 10, 2 => 23, _ => 52 };
        int exponentBits = size switch { 1 => 5, 2 => 8, _ => 11 };
        int bias = (1 << (exponentBits - 1)) - 1;
        int maxExponent = (1 << exponentBits) - 1;
        ulong sign = random.Next(2) == 0 ? 0 : 1UL << (fractionBits + exponentBits);
        ulong fractionMask = (1UL << fractionBits) - 1;
        ulong fraction = NextULong(random) & fractionMask;
        if (random.Next(4) == 0)
        {
            // Few significant bits: exact results and ties are common.
            fraction &= ~((1UL << Math.Max(0, fractionBits - random.Next(1, 6))) - 1);
        }

        int exponent = random.Next(12) switch
        {
            0 => 0, // zero or denormal
            1 => maxExponent, // infinity or NaN
            2 => maxExponent - 1 - random.Next(3), // near overflow
            3 => 1 + random.Next(3), // near underflow
            4 => bias + random.Next(-2, 3), // near 1.0
            5 => bias + random.Next(0, fractionBits + 2), // integers and halves
            _ => random.Next(1, maxExponent),
        };
        if (random.Next(16) == 0)
        {
            fraction = random.Next(3) switch { 0 => 0, 1 => fractionMask, _ => 1 };
        }

        return sign | ((ulong)exponent << fractionBits) | fraction;
    }

    public static ulong NextULong(Random random) => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);

    /// <summary>The seed for a randomised test: EDGEVISOR_FP_SEED when set, else a fresh one (printed on failure by the caller).</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_FP_SEED"), out int seed) ? seed : Random.Shared.Next();
}
