namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>Hand-checked results of the integer Advanced SIMD arithmetic instructions (vector and scalar).</summary>
public sealed class IntegerArithmeticTests
{
    [Fact]
    public void Add_works_per_lane_and_a_64_bit_form_clears_the_upper_half()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0000_0001_FFFF_FFFF, 0x7FFF_FFFF_0000_0010)
            .With(2, 0x0000_0001_0000_0001, 0x0000_0001_0000_0005)
            .With(3, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF)
            .Run("add v0.4s, v1.4s, v2.4s\nadd v3.8b, v1.8b, v2.8b");
        Assert.Equal(0x0000_0002_0000_0000UL, bench.Low(0));
        Assert.Equal(0x8000_0000_0000_0015UL, bench.High(0));
        Assert.Equal(0x0000_0002_FFFF_FF00UL, bench.Low(3));
        Assert.Equal(0UL, bench.High(3));
    }

    [Fact]
    public void Saturating_add_and_subtract_clamp_and_set_qc()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x7F80_0102_0304_05FF)
            .With(2, 0x0180_0101_0101_0101)
            .Run("sqadd v0.8b, v1.8b, v2.8b");
        Assert.Equal(0x7F80_0203_0405_0600UL, bench.Low(0));
        Assert.True(bench.Saturated);

        using var unsignedBench = new SimdTestBench().With(1, 5).With(2, 7).Run("uqsub v0.2d, v1.2d, v2.2d");
        Assert.Equal(0UL, unsignedBench.Low(0));
        Assert.True(unsignedBench.Saturated);

        using var quiet = new SimdTestBench().With(1, 5).With(2, 3).Run("uqsub v0.2d, v1.2d, v2.2d");
        Assert.Equal(2UL, quiet.Low(0));
        Assert.False(quiet.Saturated);
    }

    [Fact]
    public void Compares_give_all_ones_masks_with_the_right_signedness()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0000_0001_FFFF_FFFF)
            .With(2, 0x0000_0000_0000_0001)
            .Run("cmgt v3.2s, v1.2s, v2.2s\ncmhi v4.2s, v1.2s, v2.2s\ncmeq v5.2s, v1.2s, #0\ncmlt v6.2s, v1.2s, #0\ncmtst v7.2s, v1.2s, v2.2s");
        Assert.Equal(0xFFFF_FFFF_0000_0000UL, bench.Low(3));
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFUL, bench.Low(4));
        Assert.Equal(0UL, bench.Low(5));
        Assert.Equal(0x0000_0000_FFFF_FFFFUL, bench.Low(6));
        Assert.Equal(0x0000_0000_FFFF_FFFFUL, bench.Low(7));
    }

    [Fact]
    public void Shifts_by_register_take_the_signed_low_byte_round_and_saturate()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x8000_0000_0000_0007, 0x4000_0000_0000_0000)
            .With(2, 0x0000_0000_0000_00FF, 0x0000_0000_0000_0001)
            .Run("sshl v3.2d, v1.2d, v2.2d\nsrshl v4.2d, v1.2d, v2.2d\nsqshl v5.2d, v1.2d, v2.2d\nushl v6.2d, v1.2d, v2.2d");
        Assert.Equal(0xC000_0000_0000_0003UL, bench.Low(3)); // arithmetic shift right by 1
        Assert.Equal(0x8000_0000_0000_0000UL, bench.High(3)); // 2^62 << 1 wraps into the sign
        Assert.Equal(0xC000_0000_0000_0004UL, bench.Low(4)); // rounded: (x + 1) >> 1
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, bench.High(5)); // saturated
        Assert.True(bench.Saturated);
        Assert.Equal(0x8000_0000_0000_0000UL, bench.High(6));
    }

    [Fact]
    public void Bitwise_select_forms_choose_bits_from_the_right_operand()
    {
        using var bench = new SimdTestBench()
            .With(0, 0xFF00_FF00_FF00_FF00, 1)
            .With(1, 0x1111_1111_1111_1111)
            .With(2, 0x2222_2222_2222_2222)
            .With(3, 0xFF00_FF00_FF00_FF00)
            .With(4, 0xFF00_FF00_FF00_FF00)
            .Run("bsl v0.8b, v1.8b, v2.8b\nbit v3.16b, v1.16b, v2.16b\nbif v4.16b, v1.16b, v2.16b\norn v5.16b, v1.16b, v2.16b");
        Assert.Equal(0x1122_1122_1122_1122UL, bench.Low(0));
        Assert.Equal(0UL, bench.High(0));
        Assert.Equal(0xFF00_FF00_FF00_FF00UL & ~0x2222_2222_2222_2222UL | (0x1111_1111_1111_1111UL & 0x2222_2222_2222_2222UL), bench.Low(3));
        Assert.Equal(0x1111_1111_1111_1111UL & ~0x2222_2222_2222_2222UL | (0xFF00_FF00_FF00_FF00UL & 0x2222_2222_2222_2222UL), bench.Low(4));
        Assert.Equal(0x1111_1111_1111_1111UL | ~0x2222_2222_2222_2222UL, bench.Low(5));
    }

    [Fact]
    public void Pairwise_and_across_lanes_fold_neighbours()
    {
        using var bench = new SimdTestBench()
            .With(1, 0x0004_0003_0002_0001, 0x8000_7FFF_0006_0005)
            .With(2, 0x0000_0000_0000_0010)
            .Run("addp v3.8h, v1.8h, v2.8h\naddv h4, v1.8h\nsmaxv h5, v1.8h\numaxv h6, v1.8h\nsaddlv s7, v1.8h\nsminp v8.4h, v1.4h, v2.4h");
        Assert.Equal(0xFFFF_000B_0007_0003UL, bench.Low(3));
        Assert.Equal(0x0000_0000_0000_0010UL, bench.High(3));
        Assert.Equal((ulong)((1 + 2 + 3 + 4 + 5 + 6 + 0x7FFF + 0x8000) & 0xFFFF), bench.Low(4));
        Assert.Equal(0x7FFFUL, bench.Low(5));
        Assert.Equal(0x8000UL, bench.Low(6));
        Assert.Equal((ulong)(1 + 2 + 3 + 4 + 5 + 6 + 0x7FFF - 0x8000), bench.Low(7));
        Assert.Equal(0x0000_0000_0003_0001UL, bench.Low(8));
    }

    [Fact]
    public void Multiplies_accumulate_and_saturate()
    {
        using var bench = new SimdTestBench()
            .With(0, 0x0000_0001_0000_0001)
            .With(1, 0x0000_0003_FFFF_FFFF)
            .With(2, 0x0000_0005_0000_0002)
            .With(3, 0x8000_8000)
            .Run("mla v0.2s, v1.2s, v2.2s\nmul v4.2s, v1.2s, v2.2s\nsqdmulh v5.4h, v3.4h, v3.4h\nsqrdmulh v6.2s, v1.2s, v2.2s");
        Assert.Equal(0x0000_0010_FFFF_FFFFUL, bench.Low(0));
        Assert.Equal(0x0000_000F_FFFF_FFFEUL, bench.Low(4));
        Assert.Equal(0x7FFF_7FFFUL, bench.Low(5));
        Assert.True(bench.Saturated);
        Assert.Equal(0UL, bench.Low(6));
    }

    [Fact]
    public void Scalar_forms_write_one_element_and_clear_the_rest()
    {
        using var bench = new SimdTestBench()
            .With(0, ulong.MaxValue, ulong.MaxValue)
            .With(1, 0x0000_0000_0000_00F0, 5)
            .With(2, 0x0000_0000_0000_0020, 7)
            .With(3, ulong.MaxValue, ulong.MaxValue)
            .Run("uqadd b0, b1, b2\nadd d3, d1, d2\naddp d4, v1.2d\nsqdmull s5, h1, h2\nsqxtn b6, h1");
        Assert.Equal(0xFFUL, bench.Low(0));
        Assert.Equal(0UL, bench.High(0));
        Assert.Equal(0x110UL, bench.Low(3));
        Assert.Equal(0UL, bench.High(3));
        Assert.Equal(0xF5UL, bench.Low(4));
        Assert.Equal(2UL * 0xF0 * 0x20, bench.Low(5));
        Assert.Equal(0x7FUL, bench.Low(6));
    }
}
