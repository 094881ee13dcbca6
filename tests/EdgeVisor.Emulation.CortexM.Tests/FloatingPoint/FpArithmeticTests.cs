using EdgeVisor.Emulation.CortexM.FloatingPoint;
using EdgeVisor.Emulation.FloatingPoint;
using static EdgeVisor.Emulation.CortexM.Tests.FloatingPoint.FpSamples;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>
/// Soft-float arithmetic against the host's IEEE-754 binary32 (exact for non-NaN results in round-to-nearest without
/// flush-to-zero), directed rounding against exact double products/sums, and Arm-specific NaN, flag and FZ rules
/// against the ARM ARM pseudocode.
/// </summary>
public class FpArithmeticTests
{
    private const int Samples = 60_000;

    private static void AgreesWithHost(string name, Func<uint, uint, uint> soft, Func<float, float, float> host, int seed)
    {
        var random = new Random(seed);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            uint b = Next(random);
            uint expected = B(host(F(a), F(b)));
            uint actual = soft(a, b);
            if (IsNaN(expected))
            {
                Assert.True(IsNaN(actual), $"{name}(0x{a:X8}, 0x{b:X8}) = 0x{actual:X8}, expected a NaN (seed {seed})");
                continue;
            }

            Assert.True(expected == actual, $"{name}(0x{a:X8}, 0x{b:X8}) = 0x{actual:X8}, expected 0x{expected:X8} (seed {seed})");
        }
    }

    [Fact]
    public void Add_sub_mul_div_match_ieee_round_to_nearest()
    {
        AgreesWithHost("add", (a, b) => { uint s = 0; return SingleFloat.Add(a, b, ref s); }, (x, y) => x + y, 1);
        AgreesWithHost("sub", (a, b) => { uint s = 0; return SingleFloat.Sub(a, b, ref s); }, (x, y) => x - y, 2);
        AgreesWithHost("mul", (a, b) => { uint s = 0; return SingleFloat.Mul(a, b, ref s); }, (x, y) => x * y, 3);
        AgreesWithHost("div", (a, b) => { uint s = 0; return SingleFloat.Div(a, b, ref s); }, (x, y) => x / y, 4);
        AgreesWithHost("sqrt", (a, _) => { uint s = 0; return SingleFloat.Sqrt(a, ref s); }, (x, _) => MathF.Sqrt(x), 5);
    }

    [Fact]
    public void Fused_multiply_add_rounds_once()
    {
        var random = new Random(6);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            uint b = Next(random);
            uint c = Next(random);
            if (random.Next(3) == 0)
            {
                // Make the addend cancel the product so the single rounding matters.
                c = B(-(F(a) * F(b)));
            }

            uint expected = B(MathF.FusedMultiplyAdd(F(a), F(b), F(c)));
            uint fpscr = 0;
            uint actual = SingleFloat.MulAdd(c, a, b, ref fpscr);
            if (IsNaN(expected))
            {
                Assert.True(IsNaN(actual), $"fma(0x{c:X8} + 0x{a:X8}*0x{b:X8}) = 0x{actual:X8}, expected NaN");
                continue;
            }

            Assert.True(expected == actual, $"fma(0x{c:X8} + 0x{a:X8}*0x{b:X8}) = 0x{actual:X8}, expected 0x{expected:X8}");
        }
    }

    [Theory]
    [InlineData(FloatRounding.PlusInfinity)]
    [InlineData(FloatRounding.MinusInfinity)]
    [InlineData(FloatRounding.Zero)]
    [InlineData(FloatRounding.TieEven)]
    public void Directed_rounding_matches_the_exact_result_rounded_in_that_direction(FloatRounding mode)
    {
        var random = new Random(7 + (int)mode);
        uint fpscr = Fpscr.WithRounding(0, mode);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            uint b = Next(random);
            if (IsNaN(a) || IsNaN(b) || float.IsInfinity(F(a)) || float.IsInfinity(F(b)))
            {
                continue;
            }

            // A product of two binary32 values is exact in binary64; so is a sum when TwoSum finds no error.
            double product = (double)F(a) * F(b);
            uint flags = fpscr;
            Assert.Equal(RoundReference(product, mode, ((a ^ b) >> 31) != 0), SingleFloat.Mul(a, b, ref flags));

            double sum = (double)F(a) + F(b);
            if (sum - F(a) == F(b) && sum - F(b) == F(a) && sum != 0)
            {
                flags = fpscr;
                Assert.Equal(RoundReference(sum, mode, sum < 0), SingleFloat.Add(a, b, ref flags));
            }
        }
    }

    /// <summary>Rounds an exact double to binary32 in the given direction using the host's round-to-nearest plus one step.</summary>
    private static uint RoundReference(double exact, FloatRounding mode, bool negativeZero)
    {
        if (exact == 0)
        {
            return negativeZero ? 0x8000_0000u : 0;
        }

        float nearest = (float)exact;
        float result = mode switch
        {
            FloatRounding.PlusInfinity => nearest < exact ? MathF.BitIncrement(nearest) : nearest,
            FloatRounding.MinusInfinity => nearest > exact ? MathF.BitDecrement(nearest) : nearest,
            FloatRounding.Zero => Math.Abs((double)nearest) > Math.Abs(exact) ? (exact > 0 ? MathF.BitDecrement(nearest) : MathF.BitIncrement(nearest)) : nearest,
            _ => nearest,
        };
        if (float.IsInfinity(result) && !double.IsInfinity(exact))
        {
            // Overflow in a direction that does not reach infinity gives the largest finite value.
            bool toInfinity = mode == FloatRounding.TieEven || (mode == FloatRounding.PlusInfinity && exact > 0) || (mode == FloatRounding.MinusInfinity && exact < 0);
            if (!toInfinity)
            {
                result = exact > 0 ? float.MaxValue : float.MinValue;
            }
        }

        return B(result);
    }

    [Fact]
    public void Nan_operands_propagate_in_operand_order_signalling_first()
    {
        uint fpscr = 0;
        Assert.Equal(0x7FC0_0001u, SingleFloat.Add(0x7FC0_0001, 0x7FC0_0002, ref fpscr));
        Assert.Equal(0u, fpscr);
        Assert.Equal(0x7FC0_0002u, SingleFloat.Add(0x7FC0_0001, 0x7F80_0002, ref fpscr)); // the signalling one wins, quieted
        Assert.Equal(Fpscr.Ioc, fpscr);
        fpscr = 0;
        Assert.Equal(0xFFC0_0005u, SingleFloat.Mul(0x3F80_0000, 0xFF80_0005, ref fpscr));
        Assert.Equal(Fpscr.Ioc, fpscr);
        fpscr = Fpscr.Dn;
        Assert.Equal(0x7FC0_0000u, SingleFloat.Sub(0xFFC0_1234, 0x3F80_0000, ref fpscr));
        Assert.Equal(Fpscr.Dn, fpscr);
    }

    [Fact]
    public void Fused_multiply_add_nan_order_is_addend_then_multiplicands()
    {
        uint fpscr = 0;
        Assert.Equal(0x7FC0_0003u, SingleFloat.MulAdd(0x7FC0_0003, 0x7FC0_0001, 0x7FC0_0002, ref fpscr));
        Assert.Equal(0x7FC0_0002u, SingleFloat.MulAdd(0x7FC0_0003, 0x3F80_0000, 0x7F80_0002, ref fpscr));
        Assert.Equal(Fpscr.Ioc, fpscr);

        // 0 * inf with a quiet NaN addend is still an invalid operation with the default NaN.
        fpscr = 0;
        Assert.Equal(0x7FC0_0000u, SingleFloat.MulAdd(0x7FC0_0003, 0x0000_0000, 0x7F80_0000, ref fpscr));
        Assert.Equal(Fpscr.Ioc, fpscr);

        // inf + (-inf) from the product.
        fpscr = 0;
        Assert.Equal(0x7FC0_0000u, SingleFloat.MulAdd(0x7F80_0000, 0xBF80_0000, 0x7F80_0000, ref fpscr));
        Assert.Equal(Fpscr.Ioc, fpscr);
    }

    [Fact]
    public void Invalid_operations_give_the_default_nan_and_ioc()
    {
        (Func<uint, uint, uint> op, uint a, uint b)[] cases =
        [
            ((a, b) => { uint s = 0; uint r = SingleFloat.Add(a, b, ref s); Assert.Equal(Fpscr.Ioc, s); return r; }, 0x7F80_0000, 0xFF80_0000),
            ((a, b) => { uint s = 0; uint r = SingleFloat.Mul(a, b, ref s); Assert.Equal(Fpscr.Ioc, s); return r; }, 0x8000_0000, 0x7F80_0000),
            ((a, b) => { uint s = 0; uint r = SingleFloat.Div(a, b, ref s); Assert.Equal(Fpscr.Ioc, s); return r; }, 0x0000_0000, 0x8000_0000),
            ((a, b) => { uint s = 0; uint r = SingleFloat.Div(a, b, ref s); Assert.Equal(Fpscr.Ioc, s); return r; }, 0x7F80_0000, 0x7F80_0000),
            ((a, _) => { uint s = 0; uint r = SingleFloat.Sqrt(a, ref s); Assert.Equal(Fpscr.Ioc, s); return r; }, 0xBF80_0000, 0),
        ];
        foreach (var (op, a, b) in cases)
        {
            Assert.Equal(0x7FC0_0000u, op(a, b));
        }
    }

    [Fact]
    public void Exception_flags_follow_the_arm_rules()
    {
        uint fpscr = 0;
        Assert.Equal(0xFF80_0000u, SingleFloat.Div(0xBF80_0000, 0x0000_0000, ref fpscr));
        Assert.Equal(Fpscr.Dzc, fpscr);

        fpscr = 0;
        Assert.Equal(0x7F80_0000u, SingleFloat.Mul(0x7F7F_FFFF, 0x4000_0000, ref fpscr));
        Assert.Equal(Fpscr.Ofc | Fpscr.Ixc, fpscr);

        fpscr = Fpscr.WithRounding(0, FloatRounding.Zero);
        Assert.Equal(0x7F7F_FFFFu, SingleFloat.Mul(0x7F7F_FFFF, 0x4000_0000, ref fpscr));
        Assert.Equal(Fpscr.Ofc | Fpscr.Ixc, fpscr & 0xFF);

        // Exact denormal result: no underflow (UFC needs tiny AND inexact).
        fpscr = 0;
        Assert.Equal(0x0000_0001u, SingleFloat.Mul(0x0000_0002, 0x3F00_0000, ref fpscr));
        Assert.Equal(0u, fpscr);

        // Inexact denormal result: UFC and IXC.
        fpscr = 0;
        Assert.Equal(0x0000_0002u, SingleFloat.Mul(0x0000_0003, 0x3F00_0000, ref fpscr));
        Assert.Equal(Fpscr.Ufc | Fpscr.Ixc, fpscr);

        // Tininess is detected before rounding: a result that rounds up to the smallest normal still underflows.
        fpscr = 0;
        Assert.Equal(0x0080_0000u, SingleFloat.Mul(0x007F_FFFF, 0x3F80_0001, ref fpscr));
        Assert.Equal(Fpscr.Ufc | Fpscr.Ixc, fpscr);

        // 1 + 2^-24 is a tie: round to even (1.0), inexact.
        fpscr = 0;
        Assert.Equal(0x3F80_0000u, SingleFloat.Add(0x3F80_0000, 0x3380_0000, ref fpscr));
        Assert.Equal(Fpscr.Ixc, fpscr);
    }

    [Fact]
    public void Flush_to_zero_flushes_inputs_with_idc_and_outputs_with_ufc()
    {
        uint fpscr = Fpscr.Fz;
        Assert.Equal(0x3F80_0000u, SingleFloat.Add(0x3F80_0000, 0x0000_0001, ref fpscr));
        Assert.Equal(Fpscr.Fz | Fpscr.Idc, fpscr);

        // A denormal input flushed to a signed zero: -denormal + +0 = +0 in round-to-nearest.
        fpscr = Fpscr.Fz;
        Assert.Equal(0x0000_0000u, SingleFloat.Add(0x8000_0001, 0x0000_0000, ref fpscr));

        // A result below the normal range (even one that would round up to it) becomes zero: UFC, no IXC.
        fpscr = Fpscr.Fz;
        Assert.Equal(0x8000_0000u, SingleFloat.Mul(0x8080_0000, 0x3F7F_FFFF, ref fpscr));
        Assert.Equal(Fpscr.Fz | Fpscr.Ufc, fpscr);
    }

    [Fact]
    public void Exact_zero_sums_are_positive_except_when_rounding_down()
    {
        uint fpscr = 0;
        Assert.Equal(0x0000_0000u, SingleFloat.Add(0x3F80_0000, 0xBF80_0000, ref fpscr));
        fpscr = Fpscr.WithRounding(0, FloatRounding.MinusInfinity);
        Assert.Equal(0x8000_0000u, SingleFloat.Add(0x3F80_0000, 0xBF80_0000, ref fpscr));
        Assert.Equal(0x8000_0000u, SingleFloat.Add(0x0000_0000, 0x8000_0000, ref fpscr));
        fpscr = 0;
        Assert.Equal(0x8000_0000u, SingleFloat.Add(0x8000_0000, 0x8000_0000, ref fpscr));
        Assert.Equal(0x0000_0000u, SingleFloat.Add(0x0000_0000, 0x8000_0000, ref fpscr));
    }
}
