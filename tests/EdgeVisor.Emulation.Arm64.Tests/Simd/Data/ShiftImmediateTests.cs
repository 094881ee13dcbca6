using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.FloatingPoint;
using static EdgeVisor.Emulation.Arm64.Tests.TestKit.VectorTestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

public sealed class ShiftImmediateTests
{
    [Theory]
    [InlineData("sshr v0.4s, v1.4s, #32", 0xFFFFFFFF_FFFFFFFFUL, 0UL)]
    [InlineData("sshr v0.4s, v1.4s, #4", 0xF8000000_FFFFFFFFUL, 0x00000000_07FFFFFFUL)]
    [InlineData("ushr v0.4s, v1.4s, #31", 0x00000001_00000001UL, 0UL)]
    [InlineData("ushr v0.2d, v1.2d, #64", 0UL, 0UL)]
    [InlineData("sshr v0.2d, v1.2d, #64", 0xFFFFFFFF_FFFFFFFFUL, 0UL)]
    [InlineData("ushr d0, d1, #4", 0x08000000_0FFFFFFFUL, 0UL)]
    [InlineData("shl v0.2d, v1.2d, #63", 0x80000000_00000000UL, 0x80000000_00000000UL)]
    [InlineData("shl v0.8b, v1.8b, #1", 0x00000000_FEFEFEFEUL, 0UL)]
    [InlineData("srshr v0.4s, v1.4s, #1", 0xC0000000_00000000UL, 0x00000001_40000000UL)]
    [InlineData("urshr v0.4s, v1.4s, #1", 0x40000000_80000000UL, 0x00000001_40000000UL)]
    [InlineData("urshr d0, d1, #64", 0x1UL, 0UL)]
    public void Shifts_cover_the_full_range_and_rounding(string instruction, ulong low, ulong high)
    {
        using var m = Run(instruction, cpu =>
        {
            // Words 0..3: 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0x00000001.
            cpu.V[0] = Q(~0UL, ~0UL);
            cpu.V[1] = Q(0x80000000_FFFFFFFF, 0x00000001_7FFFFFFF);
        });
        Assert.Equal((low, high), (m.Cpu.Low(0), m.Cpu.High(0)));
    }

    [Fact]
    public void Accumulating_shifts_add_to_the_destination_modulo_the_lane()
    {
        using var m = Run("ssra v2.8h, v1.8h, #8\nusra v3.2d, v1.2d, #60\nsrsra v4.4h, v1.4h, #16\nursra v5.2s, v1.2s, #32", cpu =>
        {
            cpu.V[1] = Q(0x8000_7FFF_FF80_0180, 0xF000_0000_0000_0010);
            cpu.V[2] = Q(0x0001_0001_0001_0001, 0xFFFF_FFFF_FFFF_FFFF);
            cpu.V[3] = Q(0xFFFF_FFFF_FFFF_FFFF, 5);
            cpu.V[4] = Q(0x0001_0001_0001_0001, 0x1234);
            cpu.V[5] = Q(0x0000_0010_0000_0020, 0x1234);
        });
        // ssra: lanes 0x0180>>8 = 1, 0xFF80>>8 = -1, 0x7FFF>>8 = 0x7F, 0x8000>>8 = -0x80; high 0x0010>>8 = 0, 0, 0, 0xF000>>8 = -0x10.
        Assert.Equal((0xFF81_0080_0000_0002UL, 0xFFEF_FFFF_FFFF_FFFFUL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0x0000_0000_0000_0007UL, 0x0000_0000_0000_0014UL), (m.Cpu.Low(3), m.Cpu.High(3)));
        // srsra #16: (x + 0x8000) >> 16 is 0 for all four lanes, -0x8000 included.
        Assert.Equal((0x0001_0001_0001_0001UL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
        // ursra #32: (x + 2^31) >> 32 is 1 for 0xFF800180, 1 for 0x80007FFF.
        Assert.Equal((0x0000_0011_0000_0021UL, 0UL), (m.Cpu.Low(5), m.Cpu.High(5)));
    }

    [Fact]
    public void Inserting_shifts_keep_the_bits_the_shifted_value_does_not_reach()
    {
        using var m = Run("sri v2.8h, v1.8h, #4\nsli v3.4s, v1.4s, #8\nsri d4, d1, #64\nsli d5, d1, #0", cpu =>
        {
            cpu.V[1] = Q(0x1234_5678_9ABC_DEF0, 0xFFFF_0000_FFFF_0000);
            cpu.V[2] = Q(0xAAAA_AAAA_AAAA_AAAA, 0x5555_5555_5555_5555);
            cpu.V[3] = Q(0xAAAA_AAAA_AAAA_AAAA, 0x5555_5555_5555_5555);
            cpu.V[4] = Q(0x0123_4567_89AB_CDEF, 0x77);
            cpu.V[5] = Q(0x0123_4567_89AB_CDEF, 0x77);
        });
        Assert.Equal((0xA123_A567_A9AB_ADEFUL, 0x5FFF_5000_5FFF_5000UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0x3456_78AA_BCDE_F0AAUL, 0xFF00_0055_FF00_0055UL), (m.Cpu.Low(3), m.Cpu.High(3)));
        Assert.Equal((0x0123_4567_89AB_CDEFUL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
        Assert.Equal((0x1234_5678_9ABC_DEF0UL, 0UL), (m.Cpu.Low(5), m.Cpu.High(5)));
    }

    [Fact]
    public void Saturating_left_shifts_clamp_and_set_qc()
    {
        using var m = Run("sqshl v2.8b, v1.8b, #2\nuqshl v3.8b, v1.8b, #1\nsqshlu v4.8b, v1.8b, #1\nsqshl s5, s6, #31", cpu =>
        {
            cpu.V[1] = Bytes(0x20, 0xE0, 0x10, 0xF0, 0x80, 0x7F, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0);
            cpu.V[6] = Q(0xFFFF_FFFF_0000_0001);
        });
        Assert.Equal(new byte[] { 0x7F, 0x80, 0x40, 0xC0, 0x80, 0x7F, 0x00, 0x04 }, LowBytes(m.Cpu, 2));
        Assert.Equal(new byte[] { 0x40, 0xFF, 0x20, 0xFF, 0xFF, 0xFE, 0x00, 0x02 }, LowBytes(m.Cpu, 3));
        Assert.Equal(new byte[] { 0x40, 0x00, 0x20, 0x00, 0x00, 0xFE, 0x00, 0x02 }, LowBytes(m.Cpu, 4));
        Assert.Equal((0x7FFF_FFFFUL, 0UL), (m.Cpu.Low(5), m.Cpu.High(5)));
        Assert.NotEqual(0u, m.Cpu.Fpsr & FpBits.Qc);
    }

    [Fact]
    public void Shifts_that_do_not_saturate_leave_qc_alone()
    {
        using var m = Run("sqshl v2.8b, v1.8b, #1\nuqshrn v3.8b, v1.8h, #8", cpu => cpu.V[1] = Q(0x0102_0304_0506_0708, 0x1122_3344_5566_7788));
        Assert.Equal(0u, m.Cpu.Fpsr & FpBits.Qc);
        Assert.Equal((0x020406080A0C0E10UL, 0UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0x1133_5577_0103_0507UL, 0UL), (m.Cpu.Low(3), m.Cpu.High(3)));
    }

    [Fact]
    public void Narrowing_shifts_write_the_lower_half_or_the_upper_half_for_the_2_forms()
    {
        using var m = Run("shrn v2.8b, v1.8h, #4\nshrn2 v3.16b, v1.8h, #8\nrshrn v4.4h, v1.4s, #16\nsqshrn b5, h1, #1\nsqrshrun v6.2s, v7.2d, #1\nuqrshrn h8, s1, #16", cpu =>
        {
            cpu.V[1] = Q(0x8000_7FFF_FF80_0180, 0xF000_0000_1234_0010);
            cpu.V[3] = Q(0xAAAA_AAAA_AAAA_AAAA, 0xBBBB_BBBB_BBBB_BBBB);
            cpu.V[7] = Q(0xFFFF_FFFF_FFFF_FFFF, 0x0000_0001_0000_0000);
        });
        Assert.Equal((0x0000_2301_00FF_F818UL, 0UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0xAAAA_AAAA_AAAA_AAAAUL, 0xF000_1200_807F_FF01UL), (m.Cpu.Low(3), m.Cpu.High(3)));
        Assert.Equal((0xF000_1234_8000_FF80UL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
        Assert.Equal((0x7FUL, 0UL), (m.Cpu.Low(5), m.Cpu.High(5))); // 0x0180 >> 1 = 0xC0 saturates to 0x7F
        Assert.Equal((0x8000_0000_0000_0000UL, 0UL), (m.Cpu.Low(6), m.Cpu.High(6))); // -1 rounds to 0, 2^32 → 2^31
        Assert.Equal((0xFF80UL, 0UL), (m.Cpu.Low(8), m.Cpu.High(8))); // (0xFF800180 + 0x8000) >> 16
        Assert.NotEqual(0u, m.Cpu.Fpsr & FpBits.Qc);
    }

    [Fact]
    public void Widening_shifts_extend_the_lower_or_upper_half()
    {
        using var m = Run("sshll v2.8h, v1.8b, #3\nsxtl2 v3.4s, v1.8h\nuxtl v4.2d, v1.2s\nushll2 v5.2d, v1.4s, #31", cpu =>
            cpu.V[1] = Q(0x8000_7FFF_FF80_0180, 0xF000_0000_1234_0010));
        Assert.Equal((0xFFF8_FC00_0008_FC00UL, 0xFC00_0000_03F8_FFF8UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0x0000_1234_0000_0010UL, 0xFFFF_F000_0000_0000UL), (m.Cpu.Low(3), m.Cpu.High(3)));
        Assert.Equal((0x0000_0000_FF80_0180UL, 0x0000_0000_8000_7FFFUL), (m.Cpu.Low(4), m.Cpu.High(4)));
        Assert.Equal((0x091A_0008_0000_0000UL, 0x7800_0000_0000_0000UL), (m.Cpu.Low(5), m.Cpu.High(5)));
    }

    [Theory]
    [InlineData(0x5F205400u)] // SHL Sd (scalar plain shifts take D only)
    [InlineData(0x5F088400u)] // SHRN has no scalar form
    [InlineData(0x5F08A400u)] // SSHLL has no scalar form
    [InlineData(0x0F400400u)] // SSHR Vd.1D: Q = 0 with 64-bit lanes
    [InlineData(0x0F408400u)] // SHRN from 128-bit lanes (immh = 1xxx)
    [InlineData(0x0F08E400u)] // SCVTF with immh = 0001
    [InlineData(0x0F10E400u)] // SCVTF (fixed, FP16)
    [InlineData(0x0F080C00u)] // opcode 00001
    [InlineData(0x5F000400u)] // scalar shift with immh = 0000
    public void Reserved_shift_encodings_are_undefined(uint encoding) => Assert.True(IsUndefined(encoding), $"0x{encoding:X8}");

    private static byte[] LowBytes(Arm64Cpu cpu, int n)
    {
        var bytes = new byte[16];
        cpu.V[n].CopyTo(bytes);
        Assert.Equal(0UL, cpu.High(n));
        return bytes[..8];
    }
}
