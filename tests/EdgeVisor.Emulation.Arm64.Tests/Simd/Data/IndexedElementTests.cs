using EdgeVisor.Emulation.Arm64.FloatingPoint;
using static EdgeVisor.Emulation.Arm64.Tests.TestKit.VectorTestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

public sealed class IndexedElementTests
{
    private static void Setup(Arm64Cpu cpu)
    {
        cpu.V[1] = Q(0xFFFF_FFFE_0000_0003, 0x8000_0000_4000_0000); // words 3, -2, 2^30, -2^31
        cpu.V[2] = Q(0x8000_0000_0000_0005, 0xFFFF_FFFF_0000_0007); // words 5, -2^31, 7, -1
        cpu.V[3] = Q(~0UL, ~0UL);
        cpu.V[4] = Q(0x0000_0064_0000_0064, ~0UL);
        cpu.V[7] = Q(1, 1);
        cpu.V[10] = Q(0x0001_7FFF_4000_8000);
        cpu.V[11] = Q(0x8000_0000);
        cpu.V[14] = Q(0x4000_0000);
        cpu.V[15] = Q(0, 0x0002_0000_0000_0000);
        cpu.V[16] = Q(5, ~0UL);
    }

    [Fact]
    public void Mul_mla_mls_use_one_lane_of_vm_for_every_lane()
    {
        using var m = Run("mul v0.4s, v1.4s, v2.s[2]\nmla v3.8h, v1.8h, v15.h[7]\nmls v4.2s, v1.2s, v2.s[0]", Setup);
        Assert.Equal((0xFFFF_FFF2_0000_0015UL, 0x8000_0000_C000_0000UL), (m.Cpu.Low(0), m.Cpu.High(0)));
        Assert.Equal((0xFFFD_FFFB_FFFF_0005UL, 0xFFFF_FFFF_7FFF_FFFFUL), (m.Cpu.Low(3), m.Cpu.High(3)));
        Assert.Equal((0x0000_006E_0000_0055UL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
    }

    [Fact]
    public void Widening_multiplies_take_the_lower_or_upper_half_of_vn()
    {
        using var m = Run("smull v5.2d, v1.2s, v2.s[3]\numull2 v6.2d, v1.4s, v2.s[3]\nsmlal2 v7.2d, v1.4s, v2.s[1]\numlsl v8.4s, v1.4h, v2.h[0]", Setup);
        Assert.Equal((0xFFFF_FFFF_FFFF_FFFDUL, 2UL), (m.Cpu.Low(5), m.Cpu.High(5)));
        Assert.Equal((0x3FFF_FFFF_C000_0000UL, 0x7FFF_FFFF_8000_0000UL), (m.Cpu.Low(6), m.Cpu.High(6)));
        Assert.Equal((0xE000_0000_0000_0001UL, 0x4000_0000_0000_0001UL), (m.Cpu.Low(7), m.Cpu.High(7)));
        Assert.Equal((0x0000_0000_FFFF_FFF1UL, 0xFFFB_0005_FFFB_000AUL), (m.Cpu.Low(8), m.Cpu.High(8)));
        Assert.Equal(0u, m.Cpu.Fpsr & FpBits.Qc);
    }

    [Fact]
    public void Saturating_doubling_multiplies_clamp_min_times_min_and_set_qc()
    {
        using var m = Run("sqdmull v9.4s, v10.4h, v11.h[1]\nsqdmulh v12.4s, v1.4s, v2.s[1]\nsqrdmulh s13, s14, v2.s[2]\nsqdmlal s16, h10, v11.h[1]", Setup);
        Assert.Equal((0xC000_0000_7FFF_FFFFUL, 0xFFFF_0000_8001_0000UL), (m.Cpu.Low(9), m.Cpu.High(9)));
        Assert.Equal((0x0000_0002_FFFF_FFFDUL, 0x7FFF_FFFF_C000_0000UL), (m.Cpu.Low(12), m.Cpu.High(12)));
        Assert.Equal((4UL, 0UL), (m.Cpu.Low(13), m.Cpu.High(13)));
        Assert.Equal((0x7FFF_FFFFUL, 0UL), (m.Cpu.Low(16), m.Cpu.High(16)));
        Assert.NotEqual(0u, m.Cpu.Fpsr & FpBits.Qc);
    }

    [Theory]
    [InlineData(0x0F008000u)] // MUL by element with size 00
    [InlineData(0x0FC08000u)] // MUL by element with size 11
    [InlineData(0x4F80E000u)] // SDOT by element (FEAT_DotProd not advertised)
    [InlineData(0x0F009000u)] // FMUL by element, half precision (FEAT_FP16 not advertised)
    [InlineData(0x4FE09000u)] // FMUL Vd.2D by element with L = 1
    [InlineData(0x0FC09000u)] // FMUL Vd.1D by element
    [InlineData(0x2F40D000u)] // SQRDMLAH (FEAT_RDM not advertised)
    [InlineData(0x2F801000u)] // FCMLA (FEAT_FCMA not advertised)
    [InlineData(0x0F800000u)] // FMLAL (FEAT_FHM not advertised)
    [InlineData(0x5F408000u)] // MUL has no scalar form
    [InlineData(0x5F402000u)] // SMLAL has no scalar form
    public void Reserved_and_unadvertised_by_element_encodings_are_undefined(uint encoding) => Assert.True(IsUndefined(encoding), $"0x{encoding:X8}");
}
