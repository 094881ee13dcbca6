using EdgeVisor.Emulation.CortexM.FloatingPoint;
using static EdgeVisor.Emulation.CortexM.Tests.FloatingPoint.FpSamples;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>VCMP/VCMPE flags and FPv5 VMAXNM/VMINNM against IEEE ordering and the ARM ARM's NaN rules.</summary>
public class FpCompareTests
{
    [Fact]
    public void Compare_orders_like_ieee_and_reports_unordered_as_0011()
    {
        var random = new Random(21);
        for (int k = 0; k < 50_000; k++)
        {
            uint a = Next(random);
            uint b = Next(random);
            float x = F(a);
            float y = F(b);
            uint expected = float.IsNaN(x) || float.IsNaN(y) ? 0x3u : x == y ? 0x6u : x < y ? 0x8u : 0x2u;
            uint fpscr = 0;
            Assert.True(expected == SingleFloat.Compare(a, b, false, ref fpscr), $"cmp 0x{a:X8} 0x{b:X8}");
        }
    }

    [Fact]
    public void Quiet_nans_signal_only_for_vcmpe_signalling_nans_always()
    {
        uint fpscr = 0;
        SingleFloat.CompareIntoFpscr(0x7FC0_0000, 0x3F80_0000, false, ref fpscr);
        Assert.Equal(0x3000_0000u, fpscr);
        fpscr = 0;
        SingleFloat.CompareIntoFpscr(0x7FC0_0000, 0x3F80_0000, true, ref fpscr);
        Assert.Equal(0x3000_0000u | Fpscr.Ioc, fpscr);
        fpscr = 0;
        SingleFloat.CompareIntoFpscr(0x7F80_0001, 0x3F80_0000, false, ref fpscr);
        Assert.Equal(0x3000_0000u | Fpscr.Ioc, fpscr);
        fpscr = 0xF000_0000;
        SingleFloat.CompareIntoFpscr(0x8000_0000, 0x0000_0000, true, ref fpscr);
        Assert.Equal(0x6000_0000u, fpscr);
    }

    [Fact]
    public void Max_and_min_number_prefer_numbers_over_quiet_nans()
    {
        uint fpscr = 0;
        Assert.Equal(B(1f), SingleFloat.MaxNum(0x7FC0_0000, B(1f), ref fpscr));
        Assert.Equal(B(1f), SingleFloat.MinNum(B(1f), 0xFFC0_0000, ref fpscr));
        Assert.Equal(0u, fpscr);
        Assert.Equal(0x7FC0_0001u, SingleFloat.MaxNum(0x7F80_0001, B(1f), ref fpscr)); // a signalling NaN still wins, quieted
        Assert.Equal(Fpscr.Ioc, fpscr);
        fpscr = 0;
        Assert.Equal(0x7FC0_0002u, SingleFloat.MaxNum(0x7FC0_0002, 0x7FC0_0003, ref fpscr));
        Assert.Equal(0x0000_0000u, SingleFloat.MaxNum(0x8000_0000, 0x0000_0000, ref fpscr));
        Assert.Equal(0x8000_0000u, SingleFloat.MinNum(0x0000_0000, 0x8000_0000, ref fpscr));
        Assert.Equal(B(-3f), SingleFloat.MinNum(B(2f), B(-3f), ref fpscr));
        Assert.Equal(B(2f), SingleFloat.MaxNum(B(2f), B(-3f), ref fpscr));
        Assert.Equal(0xFF80_0000u, SingleFloat.MinNum(0xFF80_0000, 0x7FC0_0000, ref fpscr));
    }
}
