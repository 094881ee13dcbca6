using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>Hand-written cases for the ARM ARM's NaN, flush-to-zero, default-NaN, AHP and exception-flag rules.</summary>
public sealed class SoftFloatRuleTests
{
    private const uint Fz = FpBits.Fz;
    private const uint Dn = FpBits.Dn;
    private const uint Ahp = FpBits.Ahp;
    private const uint RoundDown = 2u << FpBits.RModeShift;
    private const uint RoundToZero = 3u << FpBits.RModeShift;

    private const ulong One = 0x3F80_0000;
    private const ulong Two = 0x4000_0000;
    private const ulong QuietNaN = 0x7FC0_1234;
    private const ulong SignalingNaN = 0x7F80_0042;
    private const ulong Infinity = 0x7F80_0000;
    private const ulong MaxNormal = 0x7F7F_FFFF;
    private const ulong SmallestDenormal = 0x0000_0001;
    private const ulong NegativeZero = 0x8000_0000;

    [Fact]
    public void A_signalling_nan_wins_over_a_quiet_one_and_is_quietened_with_ioc()
    {
        Check(0x7FC0_0042, FpBits.Ioc, (ref uint f) => SoftFloat.Add(2, QuietNaN, SignalingNaN, 0, ref f));
        Check(QuietNaN, 0, (ref uint f) => SoftFloat.Mul(2, QuietNaN, 0x7FC0_9999, 0, ref f));
        Check(0x7FC0_0042, FpBits.Ioc, (ref uint f) => SoftFloat.MulAdd(2, QuietNaN, One, SignalingNaN, 0, ref f));
    }

    [Fact]
    public void Default_nan_mode_replaces_every_nan_result()
    {
        Check(0x7FC0_0000, FpBits.Ioc, (ref uint f) => SoftFloat.Add(2, SignalingNaN, One, Dn, ref f));
        Check(0x7FC0_0000, 0, (ref uint f) => SoftFloat.Sqrt(2, 0xFFC0_0001, Dn, ref f));
        Check(0x7FF8_0000_0000_0000, FpBits.Ioc, (ref uint f) => SoftFloat.Div(3, 0, 0, 0, ref f));
    }

    [Fact]
    public void A_quiet_nan_addend_does_not_hide_an_invalid_zero_times_infinity()
    {
        Check(0x7FC0_0000, FpBits.Ioc, (ref uint f) => SoftFloat.MulAdd(2, QuietNaN, 0, Infinity, 0, ref f));
    }

    [Fact]
    public void Flush_to_zero_reads_denormal_inputs_as_zero_with_idc_and_flushes_tiny_results_with_ufc_only()
    {
        Check(NegativeZero, FpBits.Idc, (ref uint f) => SoftFloat.Add(2, 0x8000_0001, NegativeZero, Fz, ref f));
        Check(0, FpBits.Ufc, (ref uint f) => SoftFloat.Mul(2, 0x0C80_0000, 0x3000_0000, Fz, ref f)); // 2^-102 * 2^-31
        Check(SmallestDenormal, 0, (ref uint f) => SoftFloat.Mul(2, 0x0080_0000, 0x3400_0000, 0, ref f)); // exact denormal: no UFC
        Check(SmallestDenormal, FpBits.Ufc | FpBits.Ixc, (ref uint f) => SoftFloat.Mul(2, 0x0080_0000, 0x3420_0000, 0, ref f)); // 1.25 units
    }

    [Fact]
    public void Half_operands_of_conversions_are_never_flushed()
    {
        Check(0x3380_0000, 0, (ref uint f) => SoftFloat.Convert(1, 2, 0x0001, FpRounding.TieEven, Fz | FpBits.Fz16, ref f)); // 2^-24
    }

    [Fact]
    public void Overflow_gives_infinity_or_the_largest_normal_by_rounding_mode()
    {
        Check(Infinity, FpBits.Ofc | FpBits.Ixc, (ref uint f) => SoftFloat.Mul(2, MaxNormal, Two, 0, ref f));
        Check(MaxNormal, FpBits.Ofc | FpBits.Ixc, (ref uint f) => SoftFloat.Mul(2, MaxNormal, Two, RoundToZero, ref f));
        Check(0xFF80_0000, FpBits.Ofc | FpBits.Ixc, (ref uint f) => SoftFloat.Mul(2, MaxNormal | 0x8000_0000, Two, RoundDown, ref f));
    }

    [Fact]
    public void Exact_zero_sums_are_positive_except_when_rounding_down()
    {
        Check(0, 0, (ref uint f) => SoftFloat.Sub(2, One, One, 0, ref f));
        Check(NegativeZero, 0, (ref uint f) => SoftFloat.Sub(2, One, One, RoundDown, ref f));
        Check(NegativeZero, 0, (ref uint f) => SoftFloat.Sqrt(2, NegativeZero, 0, ref f));
    }

    [Fact]
    public void Max_and_min_order_signed_zeros_and_maxnum_prefers_numbers_to_quiet_nans()
    {
        Check(0, 0, (ref uint f) => SoftFloat.Max(2, NegativeZero, 0, 0, ref f));
        Check(NegativeZero, 0, (ref uint f) => SoftFloat.Min(2, 0, NegativeZero, 0, ref f));
        Check(One, 0, (ref uint f) => SoftFloat.MaxNum(2, QuietNaN, One, 0, ref f));
        Check(0x7FC0_0042, FpBits.Ioc, (ref uint f) => SoftFloat.MinNum(2, One, SignalingNaN, 0, ref f));
    }

    [Fact]
    public void Alternative_half_precision_has_no_infinities_or_nans()
    {
        Check(0x7FFF, FpBits.Ioc, (ref uint f) => SoftFloat.Convert(2, 1, Infinity, FpRounding.TieEven, Ahp, ref f));
        Check(0x8000, FpBits.Ioc, (ref uint f) => SoftFloat.Convert(2, 1, 0xFFC0_0000, FpRounding.TieEven, Ahp, ref f));
        Check(0x7C00, 0, (ref uint f) => SoftFloat.Convert(2, 1, 0x4780_0000, FpRounding.TieEven, Ahp, ref f)); // 65536 fits
        Check(0x4780_0000, 0, (ref uint f) => SoftFloat.Convert(1, 2, 0x7C00, FpRounding.TieEven, Ahp, ref f));
    }

    [Fact]
    public void Integer_conversions_saturate_with_ioc_and_raise_ixc_only_when_in_range()
    {
        Check(0, FpBits.Ioc, (ref uint f) => SoftFloat.ToFixed(2, QuietNaN, 0, false, 32, FpRounding.Zero, 0, ref f));
        Check(0x7FFF_FFFF, FpBits.Ioc, (ref uint f) => SoftFloat.ToFixed(2, 0x4F00_0000, 0, false, 32, FpRounding.Zero, 0, ref f)); // 2^31
        Check(0, FpBits.Ixc, (ref uint f) => SoftFloat.ToFixed(2, 0xBF00_0000, 0, true, 32, FpRounding.TieEven, 0, ref f)); // -0.5
        Check(0, FpBits.Ioc, (ref uint f) => SoftFloat.ToFixed(2, 0xBF40_0000, 0, true, 64, FpRounding.TieEven, 0, ref f)); // -0.75
        Check(3, FpBits.Ixc, (ref uint f) => SoftFloat.ToFixed(2, 0x4020_0000, 0, false, 64, FpRounding.TieAway, 0, ref f)); // 2.5
    }

    [Fact]
    public void Round_to_integral_keeps_the_sign_of_zero_and_only_frintx_is_inexact()
    {
        Check(NegativeZero, 0, (ref uint f) => SoftFloat.RoundToIntegral(2, 0xBE99_999A, FpRounding.TieEven, false, 0, ref f)); // -0.3
        Check(Two, 0, (ref uint f) => SoftFloat.RoundToIntegral(2, 0x4020_0000, FpRounding.TieEven, false, 0, ref f)); // 2.5
        Check(0x4040_0000, FpBits.Ixc, (ref uint f) => SoftFloat.RoundToIntegral(2, 0x4020_0000, FpRounding.TieAway, true, 0, ref f));
    }

    [Fact]
    public void Division_by_zero_raises_dzc_and_zero_times_infinity_is_two_for_fmulx()
    {
        Check(0xFF80_0000, FpBits.Dzc, (ref uint f) => SoftFloat.Div(2, One | 0x8000_0000, 0, 0, ref f));
        Check(0xC000_0000, 0, (ref uint f) => SoftFloat.MulX(2, NegativeZero, Infinity, 0, ref f));
    }

    [Fact]
    public void Fcmpe_signals_on_quiet_nans_and_fcmp_only_on_signalling_ones()
    {
        uint flags = 0;
        Assert.Equal(0b0011u, SoftFloat.Compare(2, QuietNaN, One, false, 0, ref flags));
        Assert.Equal(0u, flags);
        Assert.Equal(0b0011u, SoftFloat.Compare(2, QuietNaN, One, true, 0, ref flags));
        Assert.Equal(FpBits.Ioc, flags);
        flags = 0;
        Assert.Equal(0b0110u, SoftFloat.Compare(2, NegativeZero, 0, true, 0, ref flags));
        Assert.Equal(0b1000u, SoftFloat.Compare(3, 0xBFF0_0000_0000_0000, 0, false, 0, ref flags));
        Assert.Equal(0u, flags);
    }

    [Fact]
    public void Fmov_immediates_expand_in_every_format()
    {
        Assert.Equal(0x3F80_0000UL, SoftFloat.ExpandImmediate(2, 0x70)); // 1.0
        Assert.Equal(0xC000_0000_0000_0000UL, SoftFloat.ExpandImmediate(3, 0x80)); // -2.0
        Assert.Equal(0x3E00UL, SoftFloat.ExpandImmediate(1, 0x78)); // 1.5
        Assert.Equal(0x41F8_0000UL, SoftFloat.ExpandImmediate(2, 0x3F)); // 31.0
    }

    private delegate ulong Operation(ref uint fpsr);

    private static void Check(ulong expected, uint expectedFlags, Operation operation)
    {
        uint fpsr = 0;
        ulong actual = operation(ref fpsr);
        Assert.Equal($"{expected:X} flags {expectedFlags:X2}", $"{actual:X} flags {fpsr:X2}");
    }
}
