using EdgeVisor.Emulation.CortexM.FloatingPoint;
using EdgeVisor.Emulation.FloatingPoint;
using static EdgeVisor.Emulation.CortexM.Tests.FloatingPoint.FpSamples;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>Float↔integer/fixed, half precision and FPRoundInt, against host conversions (exact) and the ARM ARM's special cases.</summary>
public class FpConversionTests
{
    private const int Samples = 40_000;

    [Fact]
    public void Float_to_int32_truncates_and_saturates_with_ioc()
    {
        var random = new Random(11);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            float x = F(a);
            uint fpscr = 0;
            uint actual = SingleFloat.ToFixed(a, 32, 0, unsigned: false, FloatRounding.Zero, ref fpscr);
            if (float.IsNaN(x))
            {
                Assert.Equal(0u, actual);
                Assert.Equal(Fpscr.Ioc, fpscr);
                continue;
            }

            double truncated = Math.Truncate((double)x);
            int expected = truncated >= int.MaxValue ? int.MaxValue : truncated <= int.MinValue ? int.MinValue : (int)truncated;
            bool saturated = truncated > int.MaxValue || truncated < int.MinValue;
            Assert.True((uint)expected == actual, $"s32(0x{a:X8}) = 0x{actual:X8}, expected 0x{expected:X8}");
            uint flags = saturated ? Fpscr.Ioc : truncated != x ? Fpscr.Ixc : 0;
            Assert.True(flags == fpscr, $"s32(0x{a:X8}) flags 0x{fpscr:X}, expected 0x{flags:X}");
        }
    }

    [Theory]
    [InlineData(FloatRounding.TieEven, MidpointRounding.ToEven)]
    [InlineData(FloatRounding.TieAway, MidpointRounding.AwayFromZero)]
    [InlineData(FloatRounding.PlusInfinity, MidpointRounding.ToPositiveInfinity)]
    [InlineData(FloatRounding.MinusInfinity, MidpointRounding.ToNegativeInfinity)]
    [InlineData(FloatRounding.Zero, MidpointRounding.ToZero)]
    public void Float_to_uint32_and_round_to_integral_follow_the_rounding_mode(FloatRounding mode, MidpointRounding host)
    {
        var random = new Random(12 + (int)mode);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            float x = F(a);
            if (float.IsNaN(x))
            {
                continue;
            }

            double rounded = Math.Round((double)x, host);
            uint expected = rounded >= uint.MaxValue ? uint.MaxValue : rounded <= 0 ? 0 : (uint)rounded;
            uint fpscr = 0;
            Assert.True(expected == SingleFloat.ToFixed(a, 32, 0, unsigned: true, mode, ref fpscr), $"u32 {mode} of 0x{a:X8}");

            fpscr = 0;
            uint integral = SingleFloat.RoundToIntegral(a, mode, exact: true, ref fpscr);
            Assert.True(B(MathF.Round(x, host)) == integral, $"VRINT {mode} of 0x{a:X8} = 0x{integral:X8}");
            Assert.Equal(MathF.Round(x, host) != x ? Fpscr.Ixc : 0, fpscr);
        }
    }

    [Fact]
    public void Unsigned_conversion_of_a_small_negative_value_is_zero_and_inexact_not_invalid()
    {
        uint fpscr = 0;
        Assert.Equal(0u, SingleFloat.ToFixed(B(-0.5f), 32, 0, unsigned: true, FloatRounding.Zero, ref fpscr));
        Assert.Equal(Fpscr.Ixc, fpscr);
        fpscr = 0;
        Assert.Equal(0u, SingleFloat.ToFixed(B(-1f), 32, 0, unsigned: true, FloatRounding.Zero, ref fpscr));
        Assert.Equal(Fpscr.Ioc, fpscr);
    }

    [Fact]
    public void Integer_to_float_rounds_with_the_fpscr_mode()
    {
        var random = new Random(13);
        for (int k = 0; k < Samples; k++)
        {
            uint value = (uint)random.Next() << random.Next(2) | (uint)random.Next(2);
            uint fpscr = 0;
            Assert.Equal(B((int)value), SingleFloat.FromFixed(value, 32, 0, unsigned: false, FloatRounding.TieEven, ref fpscr));
            Assert.Equal(B(value), SingleFloat.FromFixed(value, 32, 0, unsigned: true, FloatRounding.TieEven, ref fpscr));
        }

        uint flags = 0;
        Assert.Equal(0x4B80_0000u, SingleFloat.FromFixed(0x0100_0001, 32, 0, false, FloatRounding.Zero, ref flags));
        Assert.Equal(0x4B80_0001u, SingleFloat.FromFixed(0x0100_0001, 32, 0, false, FloatRounding.PlusInfinity, ref flags));
        Assert.Equal(Fpscr.Ixc, flags);
    }

    [Fact]
    public void Fixed_point_conversions_scale_by_the_fraction_bits()
    {
        uint fpscr = 0;
        Assert.Equal(B(1.5f), SingleFloat.FromFixed(0x0000_0018, 16, 4, false, FloatRounding.TieEven, ref fpscr));
        Assert.Equal(B(-1.5f), SingleFloat.FromFixed(0x1234_FFE8, 16, 4, false, FloatRounding.TieEven, ref fpscr)); // only the low 16 bits count
        Assert.Equal(B(4095.9375f), SingleFloat.FromFixed(0xFFFF, 16, 4, true, FloatRounding.TieEven, ref fpscr));
        Assert.Equal(B(0.5f), SingleFloat.FromFixed(0x8000_0000, 32, 32, true, FloatRounding.TieEven, ref fpscr));
        Assert.Equal(0u, fpscr);

        Assert.Equal(0x18u, SingleFloat.ToFixed(B(1.5f), 16, 4, false, FloatRounding.Zero, ref fpscr));
        Assert.Equal(0x7FFFu, SingleFloat.ToFixed(B(5000f), 16, 4, false, FloatRounding.Zero, ref fpscr)); // saturates at 16 bits
        Assert.Equal(Fpscr.Ioc, fpscr);
        fpscr = 0;
        Assert.Equal(0xFFFF_8000u, SingleFloat.ToFixed(B(-5000f), 16, 4, false, FloatRounding.Zero, ref fpscr));
        Assert.Equal(0x0000_0001u, SingleFloat.ToFixed(B(0.0999f), 32, 4, false, FloatRounding.Zero, ref fpscr));
    }

    [Fact]
    public void Half_precision_conversion_matches_ieee_binary16()
    {
        var random = new Random(14);
        for (int k = 0; k < Samples; k++)
        {
            uint a = Next(random);
            float x = F(a);
            uint fpscr = 0;
            uint half = SingleFloat.SingleToHalf(a, ref fpscr);
            ushort expected = BitConverter.HalfToUInt16Bits((Half)x);
            if (float.IsNaN(x))
            {
                Assert.Equal(0x7E00u | ((a >> 16) & 0x8000) | ((a >> 13) & 0x1FF), half);
                continue;
            }

            Assert.True(expected == half, $"f16(0x{a:X8}) = 0x{half:X4}, expected 0x{expected:X4}");

            uint h = (uint)random.Next(0x10000);
            float wide = (float)BitConverter.UInt16BitsToHalf((ushort)h);
            fpscr = 0;
            uint single = SingleFloat.HalfToSingle(h, ref fpscr);
            if (!float.IsNaN(wide))
            {
                Assert.True(B(wide) == single, $"f32(0x{h:X4}) = 0x{single:X8}");
            }
        }
    }

    [Fact]
    public void Alternative_half_precision_has_no_infinities_or_nans()
    {
        uint fpscr = Fpscr.Ahp;
        Assert.Equal(B(131008f), SingleFloat.HalfToSingle(0x7FFF, ref fpscr)); // exponent 31 is a normal number
        Assert.Equal(B(65536f), SingleFloat.HalfToSingle(0x7C00, ref fpscr));
        Assert.Equal(0x7FFFu, SingleFloat.SingleToHalf(0x7F80_0000, ref fpscr)); // infinity saturates
        Assert.Equal(Fpscr.Ahp | Fpscr.Ioc, fpscr);
        fpscr = Fpscr.Ahp;
        Assert.Equal(0x8000u, SingleFloat.SingleToHalf(0xFFC0_0000, ref fpscr)); // NaN becomes a signed zero
        Assert.Equal(Fpscr.Ahp | Fpscr.Ioc, fpscr);
        fpscr = Fpscr.Ahp;
        Assert.Equal(0x7FFFu, SingleFloat.SingleToHalf(B(1e6f), ref fpscr)); // overflow saturates with IOC, no OFC/IXC
        Assert.Equal(Fpscr.Ahp | Fpscr.Ioc, fpscr);
        fpscr = Fpscr.Ahp;
        Assert.Equal(0x7BFFu, SingleFloat.SingleToHalf(B(65504f), ref fpscr));
        Assert.Equal(Fpscr.Ahp, fpscr);
    }

    [Fact]
    public void Half_precision_results_are_never_flushed_but_single_inputs_are()
    {
        uint fpscr = Fpscr.Fz;
        Assert.Equal(0x0001u, SingleFloat.SingleToHalf(B(6e-8f), ref fpscr)); // a half denormal survives FZ
        fpscr = Fpscr.Fz;
        Assert.Equal(0x8000u, SingleFloat.SingleToHalf(0x8000_0001, ref fpscr)); // a single denormal input is flushed
        Assert.Equal(Fpscr.Fz | Fpscr.Idc, fpscr);
    }

    [Fact]
    public void Vmov_immediate_expansion_matches_the_assembler()
    {
        Assert.Equal(B(1.0f), SingleFloat.ExpandImmediate(0x70));
        Assert.Equal(B(-2.0f), SingleFloat.ExpandImmediate(0x80));
        Assert.Equal(B(0.125f), SingleFloat.ExpandImmediate(0x40));
        Assert.Equal(B(31.0f), SingleFloat.ExpandImmediate(0x3F));
    }
}
