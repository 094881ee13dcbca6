namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>The three-different class and the lengthening/narrowing two-register forms, including the "2" variants.</summary>
public sealed class WideningArithmeticTests
{
    [Fact]
    public void Long_forms_read_the_low_or_high_half_and_widen_by_signedness()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0000_0001_FFFF_FFFF, 0x8000_0000_0000_0002)
            .With(2, 0x0000_0001_0000_0001, 0x0000_0003_0000_0003)
            .Run("saddl v3.2d, v1.2s, v2.2s\nuaddl2 v4.2d, v1.4s, v2.4s\nsmull2 v5.2d, v1.4s, v2.4s\numull v6.2d, v1.2s, v2.2s");
        Assert.Equal(0UL, bench.Low(3));
        Assert.Equal(2UL, bench.High(3));
        Assert.Equal(5UL, bench.Low(4));
        Assert.Equal(0x8000_0003UL, bench.High(4));
        Assert.Equal(6UL, bench.Low(5));
        Assert.Equal(unchecked((ulong)(-0x8000_0000L * 3)), bench.High(5));
        Assert.Equal(0xFFFF_FFFFUL, bench.Low(6));
        Assert.Equal(1UL, bench.High(6));
    }

    [Fact]
    public void High_narrow_forms_round_and_the_2_variants_keep_the_lower_half()
    {
        using var bench = new SimdTestBench()
            .With(0, 0x1234_5678_9ABC_DEF0)
            .With(1, 0x0000_8000_0000_7FFF, 0x0001_0000_FFFF_FFFF)
            .With(2, 0x0000_0000_0000_0000, 0x0000_0000_0000_0001)
            .Run("addhn2 v0.4s, v1.2d, v2.2d\nraddhn v3.2s, v1.2d, v2.2d");
        Assert.Equal(0x1234_5678_9ABC_DEF0UL, bench.Low(0));
        Assert.Equal(0x0001_0001_0000_8000UL, bench.High(0));
        Assert.Equal(0x0001_0001_0000_8000UL, bench.Low(3));
        Assert.Equal(0UL, bench.High(3));
    }

    [Fact]
    public void Narrowing_moves_saturate_with_the_right_ranges()
    {
        using var bench = new SimdTestBench()
            .With(1, 0xFFFF_FF80_0000_0100, 0x0000_007F_8000_0000)
            .Run("xtn v2.4h, v1.4s\nsqxtn v3.4h, v1.4s\nuqxtn v4.4h, v1.4s\nsqxtun v5.4h, v1.4s");
        Assert.Equal(0x007F_0000_FF80_0100UL, bench.Low(2));
        Assert.Equal(0x007F_8000_FF80_0100UL, bench.Low(3));
        Assert.Equal(0x007F_FFFF_FFFF_0100UL, bench.Low(4));
        Assert.Equal(0x007F_0000_0000_0100UL, bench.Low(5));
        Assert.True(bench.Saturated);
    }

    [Fact]
    public void Polynomial_multiplies_are_carry_less()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0000_0000_0000_0003, 0x8000_0000_0000_0001)
            .With(2, 0x0000_0000_0000_0003, 0x8000_0000_0000_0003)
            .Run("pmull v3.8h, v1.8b, v2.8b\npmull2 v4.1q, v1.2d, v2.2d\npmul v5.8b, v1.8b, v2.8b");
        Assert.Equal(5UL, bench.Low(3)); // 3 clmul 3 = 5
        // (x^63 + 1)(x^63 + x + 1) = x^126 + x^64 + x^63 + x^63 + x + 1 = x^126 + x^64 + x + 1
        Assert.Equal(3UL, bench.Low(4));
        Assert.Equal(0x4000_0000_0000_0001UL, bench.High(4));
        Assert.Equal(5UL, bench.Low(5));
    }

    [Fact]
    public void Pairwise_long_and_shift_left_long_widen()
    {
        using var bench = new SimdTestBench()
            .With(0, 0x0000_0000_0000_0001)
            .With(1, 0xFF01_0203_0405_0680)
            .Run("sadalp v0.4h, v1.8b\nuaddlp v2.4h, v1.8b\nshll2 v3.8h, v1.16b, #8\nshll v4.8h, v1.8b, #8");
        Assert.Equal(0x0000_0005_0009_FF87UL, bench.Low(0));
        Assert.Equal(0x0100_0005_0009_0086UL, bench.Low(2));
        Assert.Equal(0UL, bench.Low(3));
        Assert.Equal(0x0500_0600_8000UL & 0xFFFF_FFFF_FFFF, bench.Low(4) & 0xFFFF_FFFF_FFFF);
    }

    [Fact]
    public void Reverse_count_and_bit_ops_work_on_their_containers()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0102_0304_0506_0708, 0x8000_0000_0000_00F0)
            .Run("rev64 v2.16b, v1.16b\nrev32 v3.8h, v1.8h\nrev16 v4.8b, v1.8b\ncnt v5.16b, v1.16b\nclz v6.4s, v1.4s\ncls v7.2s, v1.2s\nrbit v8.8b, v1.8b\nnot v9.16b, v1.16b");
        Assert.Equal(0x0807_0605_0403_0201UL, bench.Low(2));
        Assert.Equal(0xF000_0000_0000_0080UL, bench.High(2));
        Assert.Equal(0x0304_0102_0708_0506UL, bench.Low(3));
        Assert.Equal(0x0201_0403_0605_0807UL, bench.Low(4));
        Assert.Equal(0x0101_0201_0202_0301UL, bench.Low(5));
        Assert.Equal(0x0000_0007_0000_0005UL, bench.Low(6));
        Assert.Equal(0x0000_0000_0000_0018UL, bench.High(6));
        Assert.Equal(0x0000_0006_0000_0004UL, bench.Low(7));
        Assert.Equal(0x8040_C020_A060_E010UL, bench.Low(8));
        Assert.Equal(~0x0102_0304_0506_0708UL, bench.Low(9));
    }
}
