using static EdgeVisor.Emulation.Arm64.Tests.TestKit.VectorTestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

public sealed class ModifiedImmediateTests
{
    private static void AllOnes(Arm64Cpu cpu)
    {
        for (int r = 0; r < 12; r++)
        {
            cpu.V[r] = Q(~0UL, ~0UL);
        }
    }

    [Theory]
    [InlineData("movi v0.4s, #0xab, lsl #16", 0x00AB0000_00AB0000UL, 0x00AB0000_00AB0000UL)]
    [InlineData("movi v0.2s, #0x12, msl #8", 0x000012FF_000012FFUL, 0UL)]
    [InlineData("movi v0.4s, #0x12, msl #16", 0x0012FFFF_0012FFFFUL, 0x0012FFFF_0012FFFFUL)]
    [InlineData("movi v0.8h, #0x34, lsl #8", 0x3400340034003400UL, 0x3400340034003400UL)]
    [InlineData("movi v0.16b, #0x5a", 0x5A5A5A5A5A5A5A5AUL, 0x5A5A5A5A5A5A5A5AUL)]
    [InlineData("movi d0, #0xff00ff0000ff00ff", 0xFF00FF0000FF00FFUL, 0UL)]
    [InlineData("movi v0.2d, #0xff000000000000ff", 0xFF000000000000FFUL, 0xFF000000000000FFUL)]
    [InlineData("mvni v0.8h, #0x12, lsl #8", 0xEDFFEDFFEDFFEDFFUL, 0xEDFFEDFFEDFFEDFFUL)]
    [InlineData("mvni v0.4s, #0x34, msl #16", 0xFFCB0000_FFCB0000UL, 0xFFCB0000_FFCB0000UL)]
    [InlineData("mvni v0.2s, #0x01", 0xFFFFFFFE_FFFFFFFEUL, 0UL)]
    [InlineData("fmov v0.4s, #1.5", 0x3FC00000_3FC00000UL, 0x3FC00000_3FC00000UL)]
    [InlineData("fmov v0.2s, #0.125", 0x3E000000_3E000000UL, 0UL)]
    [InlineData("fmov v0.2d, #-2.0", 0xC000000000000000UL, 0xC000000000000000UL)]
    [InlineData("fmov v0.2d, #31.0", 0x403F000000000000UL, 0x403F000000000000UL)]
    public void Moves_expand_the_immediate_and_64_bit_forms_clear_the_upper_half(string instruction, ulong low, ulong high)
    {
        using var m = Run(instruction, AllOnes);
        Assert.Equal((low, high), (m.Cpu.Low(0), m.Cpu.High(0)));
    }

    [Fact]
    public void Orr_and_bic_combine_with_the_destination()
    {
        using var m = Run("orr v1.4s, #0x40, lsl #24\nbic v2.4h, #0xff\nbic v3.8h, #0x0f, lsl #8", cpu =>
        {
            cpu.V[1] = Q(0x0000_0001_0000_0002, 0x0000_0003_8000_0004);
            cpu.V[2] = Q(0x1234_5678_9ABC_DEF0, 0x1111_1111_1111_1111);
            cpu.V[3] = Q(~0UL, 0x1234_5678_9ABC_DEF0);
        });
        Assert.Equal((0x4000_0001_4000_0002UL, 0x4000_0003_C000_0004UL), (m.Cpu.Low(1), m.Cpu.High(1)));
        Assert.Equal((0x1200_5600_9A00_DE00UL, 0UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0xF0FF_F0FF_F0FF_F0FFUL, 0x1034_5078_90BC_D0F0UL), (m.Cpu.Low(3), m.Cpu.High(3)));
    }

    [Theory]
    [InlineData(0x4F00FC00u)] // FMOV Vd.8H (FEAT_FP16 not implemented)
    [InlineData(0x0F00F400u | 0x20000000u)] // FMOV Vd.1D: double needs Q = 1
    [InlineData(0x4F000C00u)] // o2 = 1 with cmode 0000
    public void Reserved_modified_immediate_encodings_are_undefined(uint encoding) => Assert.True(IsUndefined(encoding), $"0x{encoding:X8}");
}
