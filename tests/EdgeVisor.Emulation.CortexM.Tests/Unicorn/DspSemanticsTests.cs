using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>Hand-computed DSP results from the ARMv7-M ARM pseudocode: saturation and the Q flag, GE bits, halving, packing, long accumulation.</summary>
public class DspSemanticsTests
{
    [Fact]
    public void Saturating_add_and_subtract_clamp_and_set_q()
    {
        bool q = false;
        Assert.Equal(0x7FFF_FFFFu, DspSaturating.Add(0x7FFF_FFFF, 1, ref q));
        Assert.True(q);
        q = false;
        Assert.Equal(0x8000_0000u, DspSaturating.Subtract(0x8000_0000, 1, ref q));
        Assert.True(q);
        q = false;
        Assert.Equal(0x7FFF_FFFFu, DspSaturating.DoubleAdd(0, 0x4000_0000, ref q)); // doubling saturates first
        Assert.True(q);
        q = false;
        Assert.Equal(5u, DspSaturating.Add(2, 3, ref q));
        Assert.False(q);
    }

    [Fact]
    public void Parallel_add_sets_ge_per_lane()
    {
        uint ge = 0;
        Assert.Equal(0x0000_FFFEu, DspParallel.Compute(ParallelOperation.Add16, ParallelKind.Unsigned, 0x8000_FFFF, 0x8000_FFFF, ref ge));
        Assert.Equal(0xFu, ge); // both halves carried out
        Assert.Equal(0x8001_7FFFu, DspParallel.Compute(ParallelOperation.Add16, ParallelKind.Signed, 0x8000_7FFE, 0x0001_0001, ref ge));
        Assert.Equal(0x3u, ge); // low half non-negative (wrapped 0x7FFF), high half negative
        Assert.Equal(0x01FF_0080u, DspParallel.Compute(ParallelOperation.Subtract8, ParallelKind.Unsigned, 0x0200_0180, 0x0101_0100, ref ge));
        Assert.Equal(0b1011u, ge);
        uint untouched = 0x5;
        Assert.Equal(0x7FFF_8000u, DspParallel.Compute(ParallelOperation.AddSubtractExchange, ParallelKind.SignedSaturating, 0x7FFF_8000, 0x0001_0001, ref untouched));
        Assert.Equal(0x5u, untouched); // Q/UQ/SH/UH leave GE alone
        Assert.Equal(0x8000_7FFFu, DspParallel.Compute(ParallelOperation.Add16, ParallelKind.SignedHalving, 0x8000_7FFF, 0x8000_7FFF, ref untouched));
    }

    [Fact]
    public void Select_and_packing()
    {
        Assert.Equal(0xAA22_CC44u, DspPacking.Select(0x1122_3344, 0xAABB_CCDD, 0b0101));
        Assert.Equal(0x1234_5678u, DspPacking.PackBottomTop(0x1234_5678, 0x0123_4567, 4));
        Assert.Equal(0x1234_FFFFu, DspPacking.PackTopBottom(0x1234_5678, 0x8000_0000, 0)); // ASR #32
        Assert.Equal(0x1234_8000u, DspPacking.PackTopBottom(0x1234_5678, 0x8000_0000, 16));
        Assert.Equal(0x0001_FFFFu, DspPacking.ExtendAddDual(0, 0x0001_00FF, 0, signed: true));
        Assert.Equal(0xFF80_0002u, DspPacking.ExtendAddDual(0x0000_0001, 0x0080_0001, 0, signed: true));
    }

    [Fact]
    public void Dual_and_halfword_multiplies_follow_the_q_rules()
    {
        bool q = false;
        Assert.Equal(0x8000_0000u, DspMultiply.DualMultiplyAccumulate(0x8000_8000, 0x8000_8000, 0, exchange: false, subtract: false, ref q));
        Assert.True(q); // 2^30 + 2^30 does not fit a signed word
        q = false;
        Assert.Equal(0u, DspMultiply.DualMultiplyAccumulate(0x0002_0003, 0x0003_0002, 0, exchange: false, subtract: true, ref q));
        Assert.False(q);
        Assert.Equal(0x4000_0000u, DspMultiply.MultiplyHalves(0x8000_0000, 0x0000_8000, nTop: true, mTop: false));
        Assert.Equal(0x7FFF_FFFFu, DspMultiply.MultiplyAccumulateHalves(0x0000_0001, 0x0000_0001, 0x7FFF_FFFE, false, false, ref q));
        Assert.False(q);
        Assert.Equal(0x8000_0000u, DspMultiply.MultiplyAccumulateHalves(0x0000_0001, 0x0000_0002, 0x7FFF_FFFE, false, false, ref q));
        Assert.True(q);
        Assert.Equal(0xFFFF_FFFFu, DspMultiply.MultiplyWord(0xFFFF_FFFF, 0x0000_0001, mTop: false)); // (-1 * 1) >> 16 = -1
        Assert.Equal(0x1_0000_0000ul, DspMultiply.DualMultiplyAccumulateLong(0x0001_0001, 0x0001_0001, 0xFFFF_FFFE, false, false));
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFul, DspMultiply.MultiplyAccumulateHalvesLong(0xFFFF, 0x1, 0, false, false));
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFul, DspMultiply.MultiplyAccumulateAccumulate(0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF));
        Assert.Equal(0x4000_0000u, DspMultiply.MostSignificantWord(0x8000_0000, 0x8000_0000, 0, subtract: false, round: false));
        Assert.Equal(1u, DspMultiply.MostSignificantWord(0x0001_0000, 0x0000_8000, 0, subtract: false, round: true));
        Assert.Equal(0u, DspMultiply.MostSignificantWord(0x0001_0000, 0x0000_8000, 0, subtract: false, round: false));
        Assert.Equal(0x1FEu + 10, DspMultiply.SumAbsoluteDifferences(0x00FF_0000, 0xFF00_0000, 10));
    }

    [Fact]
    public void Halfword_saturation_sets_q_only_when_clamping()
    {
        bool q = false;
        Assert.Equal(0x000F_FFF0u, DspSaturating.SignedSaturate16(0x7FFF_8000, 5, ref q));
        Assert.True(q);
        q = false;
        Assert.Equal(0x001F_0000u, DspSaturating.UnsignedSaturate16(0x7FFF_8000, 5, ref q));
        Assert.True(q);
        q = false;
        Assert.Equal(0x0003_FFFCu, DspSaturating.SignedSaturate16(0x0003_FFFC, 16, ref q));
        Assert.False(q);
    }
}
