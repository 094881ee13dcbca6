namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>Hand-checked results of the floating-point Advanced SIMD forms (element order, halves, conversions, estimates).</summary>
public sealed class FloatingPointArithmeticTests
{
    private const ulong OneAndTwo = 0x4000_0000_3F80_0000; // singles {1.0, 2.0}
    private const ulong ThreeAndFour = 0x4080_0000_4040_0000; // singles {3.0, 4.0}

    [Fact]
    public void Vector_and_pairwise_adds_work_per_lane_in_order()
    {
        using var bench = new SimdTestBench()
            .With(1, OneAndTwo, ThreeAndFour)
            .With(2, ThreeAndFour, OneAndTwo)
            .Run("fadd v3.4s, v1.4s, v2.4s\nfaddp v4.4s, v1.4s, v2.4s\nfaddp s5, v1.2s\nfmaxv s6, v1.4s");
        Assert.Equal(0x40C0_0000_4080_0000UL, bench.Low(3)); // {4.0, 6.0}
        Assert.Equal(0x40C0_0000_4080_0000UL, bench.High(3)); // {3+1, 4+2}
        Assert.Equal(0x40E0_0000_4040_0000UL, bench.Low(4)); // {1+2, 3+4}
        Assert.Equal(0x4040_0000_40E0_0000UL, bench.High(4)); // {3+4, 1+2}
        Assert.Equal(0x4040_0000UL, bench.Low(5));
        Assert.Equal(0x4080_0000UL, bench.Low(6));
        Assert.Equal(0UL, bench.High(6));
    }

    [Fact]
    public void Conversions_between_widths_use_the_selected_half()
    {
        using var bench = new SimdTestBench()
            .With(0, 0x1111_2222_3333_4444, 0x5555_6666_7777_8888)
            .With(1, OneAndTwo, ThreeAndFour)
            .With(2, 0x3FF0_0000_0000_0001, 0xC000_0000_0000_0000) // {1 + 2^-52, -2.0}
            .Run("fcvtl2 v3.2d, v1.4s\nfcvtn2 v0.4s, v2.2d\nfcvtxn v4.2s, v2.2d\nfcvtzs v5.4s, v1.4s");
        Assert.Equal(0x4008_0000_0000_0000UL, bench.Low(3));
        Assert.Equal(0x4010_0000_0000_0000UL, bench.High(3));
        Assert.Equal(0x1111_2222_3333_4444UL, bench.Low(0));
        Assert.Equal(0xC000_0000_3F80_0000UL, bench.High(0));
        Assert.Equal(0xC000_0000_3F80_0001UL, bench.Low(4)); // round to odd keeps the sticky bit
        Assert.Equal(0x0000_0002_0000_0001UL, bench.Low(5));
        Assert.Equal(0x0000_0004_0000_0003UL, bench.High(5));
    }

    [Fact]
    public void Compares_against_zero_and_unsigned_estimates_follow_the_arm_tables()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x8000_0000_3F80_0000, 0x7FC0_0000_BF80_0000) // {1.0, -0.0, -1.0, NaN}
            .With(2, 0x8000_0000_7FFF_FFFF, 0xFFFF_FFFF_C000_0000)
            .Run("fcmge v3.4s, v1.4s, #0.0\nfcmlt v4.4s, v1.4s, #0.0\nurecpe v5.4s, v2.4s\nursqrte v6.4s, v2.4s");
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFUL, bench.Low(3)); // 1.0 >= 0 and -0.0 >= 0
        Assert.Equal(0UL, bench.High(3)); // -1.0 < 0, NaN unordered
        Assert.Equal(0UL, bench.Low(4));
        Assert.Equal(0x0000_0000_FFFF_FFFFUL, bench.High(4));
        Assert.Equal(0xFF80_0000_FFFF_FFFFUL, bench.Low(5)); // below 0.5 saturates; 0.5 estimates 511/256
        Assert.Equal(0x8000_0000_AA80_0000UL, bench.High(5));
        Assert.Equal(0xB480_0000_B500_0000UL, bench.Low(6)); // 0x7FFFFFFF → 362/256, 0x80000000 → 361/256
    }
}
