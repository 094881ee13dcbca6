using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// SoftFloat against the host's IEEE arithmetic in round-to-nearest-even (values only: the host raises no Arm flags
/// and its NaN encodings differ, so a NaN result is only checked to be a NaN).
/// </summary>
public sealed class SoftFloatHostTests
{
    private const int Iterations = 100_000;

    public static TheoryData<string> Operations => new() { "add", "sub", "mul", "div", "sqrt", "fma", "cvt" };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Double_results_match_the_host_in_round_to_nearest(string operation)
    {
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            ulong a = FpOperands.Next(random, 3);
            ulong b = FpOperands.Next(random, 3);
            ulong c = FpOperands.Next(random, 3);
            double x = BitConverter.UInt64BitsToDouble(a);
            double y = BitConverter.UInt64BitsToDouble(b);
            double z = BitConverter.UInt64BitsToDouble(c);
            uint fpsr = 0;
            (ulong actual, double expected) = operation switch
            {
                "add" => (SoftFloat.Add(3, a, b, 0, ref fpsr), x + y),
                "sub" => (SoftFloat.Sub(3, a, b, 0, ref fpsr), x - y),
                "mul" => (SoftFloat.Mul(3, a, b, 0, ref fpsr), x * y),
                "div" => (SoftFloat.Div(3, a, b, 0, ref fpsr), x / y),
                "sqrt" => (SoftFloat.Sqrt(3, a, 0, ref fpsr), Math.Sqrt(x)),
                "fma" => (SoftFloat.MulAdd(3, c, a, b, 0, ref fpsr), Math.FusedMultiplyAdd(x, y, z)),
                _ => (SoftFloat.Convert(3, 2, a, FpRounding.TieEven, 0, ref fpsr), (double)(float)x),
            };
            ulong expectedBits = operation == "cvt" ? BitConverter.SingleToUInt32Bits((float)expected) : BitConverter.DoubleToUInt64Bits(expected);
            AssertSame(operation == "cvt" ? 2 : 3, expectedBits, actual, $"seed {seed} {operation} {a:X16} {b:X16} {c:X16}");
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void Single_results_match_the_host_in_round_to_nearest(string operation)
    {
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            uint a = (uint)FpOperands.Next(random, 2);
            uint b = (uint)FpOperands.Next(random, 2);
            uint c = (uint)FpOperands.Next(random, 2);
            float x = BitConverter.UInt32BitsToSingle(a);
            float y = BitConverter.UInt32BitsToSingle(b);
            float z = BitConverter.UInt32BitsToSingle(c);
            uint fpsr = 0;
            (ulong actual, ulong expected, int size) = operation switch
            {
                "add" => (SoftFloat.Add(2, a, b, 0, ref fpsr), Bits(x + y), 2),
                "sub" => (SoftFloat.Sub(2, a, b, 0, ref fpsr), Bits(x - y), 2),
                "mul" => (SoftFloat.Mul(2, a, b, 0, ref fpsr), Bits(x * y), 2),
                "div" => (SoftFloat.Div(2, a, b, 0, ref fpsr), Bits(x / y), 2),
                "sqrt" => (SoftFloat.Sqrt(2, a, 0, ref fpsr), Bits(MathF.Sqrt(x)), 2),
                "fma" => (SoftFloat.MulAdd(2, c, a, b, 0, ref fpsr), Bits(MathF.FusedMultiplyAdd(x, y, z)), 2),
                _ => (SoftFloat.Convert(2, 3, a, FpRounding.TieEven, 0, ref fpsr), BitConverter.DoubleToUInt64Bits(x), 3),
            };
            AssertSame(size, expected, actual, $"seed {seed} {operation} {a:X8} {b:X8} {c:X8}");
        }
    }

    [Fact]
    public void Half_conversions_match_the_host()
    {
        // Every half pattern widens exactly; narrowing a random single matches the host's (Half) conversion.
        for (uint h = 0; h < 0x10000; h++)
        {
            uint fpsr = 0;
            ulong single = SoftFloat.Convert(1, 2, h, FpRounding.TieEven, 0, ref fpsr);
            AssertSame(2, BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf((ushort)h)), single, $"half {h:X4}");
        }

        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            ulong a = FpOperands.Next(random, 3);
            uint fpsr = 0;
            ulong half = SoftFloat.Convert(3, 1, a, FpRounding.TieEven, 0, ref fpsr);
            AssertSame(1, BitConverter.HalfToUInt16Bits((Half)BitConverter.UInt64BitsToDouble(a)), half, $"seed {seed} double {a:X16}");
        }
    }

    [Fact]
    public void Integer_conversions_match_the_host()
    {
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            long value = random.Next(3) switch
            {
                0 => random.NextInt64(),
                1 => random.NextInt64() >> random.Next(64),
                _ => -(random.NextInt64() >> random.Next(64)),
            };
            uint fpsr = 0;
            Assert.Equal(BitConverter.DoubleToUInt64Bits(value), SoftFloat.FromFixed(3, (ulong)value, 0, false, 64, FpRounding.TieEven, 0, ref fpsr));
            Assert.Equal(BitConverter.DoubleToUInt64Bits((ulong)value), SoftFloat.FromFixed(3, (ulong)value, 0, true, 64, FpRounding.TieEven, 0, ref fpsr));
            Assert.Equal(BitConverter.SingleToUInt32Bits(value), SoftFloat.FromFixed(2, (ulong)value, 0, false, 64, FpRounding.TieEven, 0, ref fpsr));
            Assert.Equal(BitConverter.SingleToUInt32Bits((int)value), SoftFloat.FromFixed(2, (ulong)value, 0, false, 32, FpRounding.TieEven, 0, ref fpsr));

            ulong d = FpOperands.Next(random, 3);
            double x = BitConverter.UInt64BitsToDouble(d);
            if (!double.IsNaN(x))
            {
                // The host's saturating truncation agrees with FPToFixed in round-towards-zero.
                Assert.True((ulong)(long)x == SoftFloat.ToFixed(3, d, 0, false, 64, FpRounding.Zero, 0, ref fpsr), $"seed {seed} fcvtzs {d:X16}");
                Assert.True((ulong)(uint)x == SoftFloat.ToFixed(3, d, 0, true, 32, FpRounding.Zero, 0, ref fpsr), $"seed {seed} fcvtzu w {d:X16}");
                ulong nearest = (ulong)(long)Math.Round(x, MidpointRounding.ToEven); // saturates like FCVTNS
                Assert.True(nearest == SoftFloat.ToFixed(3, d, 0, false, 64, FpRounding.TieEven, 0, ref fpsr), $"seed {seed} fcvtns {d:X16}");
            }
        }
    }

    private static ulong Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    private static void AssertSame(int size, ulong expected, ulong actual, string context)
    {
        int width = 8 << size;
        int fractionBits = size switch { 1 => 10, 2 => 23, _ => 52 };
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong exponentField = (mask >> 1) & ~((1UL << fractionBits) - 1);
        bool expectedNaN = (expected & exponentField) == exponentField && (expected & ((1UL << fractionBits) - 1)) != 0;
        bool actualNaN = (actual & exponentField) == exponentField && (actual & ((1UL << fractionBits) - 1)) != 0;
        if (expectedNaN || actualNaN)
        {
            Assert.True(expectedNaN && actualNaN, $"{context}: expected {expected:X} actual {actual:X}");
            return;
        }

        Assert.True(expected == actual, $"{context}: expected {expected:X} actual {actual:X}");
    }
}
