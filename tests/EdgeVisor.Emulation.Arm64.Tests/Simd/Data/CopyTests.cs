using static EdgeVisor.Emulation.Arm64.Tests.TestKit.VectorTestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

public sealed class CopyTests
{
    // Bytes 0x80..0x8F, element 0 first.
    private static readonly System.Runtime.Intrinsics.Vector128<byte> Source =
        Bytes(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F);

    [Fact]
    public void Dup_element_replicates_the_lane_and_a_64_bit_form_clears_the_upper_half()
    {
        using var m = Run("dup v0.4s, v1.s[2]\ndup v2.8b, v1.b[15]\ndup v3.2d, v1.d[1]", cpu =>
        {
            cpu.V[1] = Source;
            cpu.V[2] = Q(~0UL, ~0UL);
        });
        Assert.Equal((0x8B8A8988_8B8A8988UL, 0x8B8A8988_8B8A8988UL), (m.Cpu.Low(0), m.Cpu.High(0)));
        Assert.Equal((0x8F8F8F8F_8F8F8F8FUL, 0UL), (m.Cpu.Low(2), m.Cpu.High(2)));
        Assert.Equal((0x8F8E8D8C_8B8A8988UL, 0x8F8E8D8C_8B8A8988UL), (m.Cpu.Low(3), m.Cpu.High(3)));
    }

    [Fact]
    public void Dup_general_replicates_the_low_bits_of_the_register_and_xzr_reads_zero()
    {
        using var m = Run("dup v0.8h, w3\ndup v4.2s, w3\ndup v5.2d, xzr", cpu =>
        {
            cpu.X[3] = 0x1234_5678_9ABC_DEF0;
            cpu.V[5] = Q(~0UL, ~0UL);
        });
        Assert.Equal((0xDEF0DEF0_DEF0DEF0UL, 0xDEF0DEF0_DEF0DEF0UL), (m.Cpu.Low(0), m.Cpu.High(0)));
        Assert.Equal((0x9ABCDEF0_9ABCDEF0UL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
        Assert.Equal((0UL, 0UL), (m.Cpu.Low(5), m.Cpu.High(5)));
    }

    [Fact]
    public void Ins_writes_one_lane_and_keeps_the_rest_of_the_register()
    {
        using var m = Run("ins v4.h[5], w5\nmov v6.s[1], v1.s[3]\nmov v7.b[0], v1.b[9]", cpu =>
        {
            cpu.V[1] = Source;
            cpu.V[4] = Q(0x1111_1111_1111_1111, 0x2222_2222_2222_2222);
            cpu.V[6] = Q(0x3333_3333_3333_3333, 0x4444_4444_4444_4444);
            cpu.V[7] = Q(0x5555_5555_5555_5555, 0x6666_6666_6666_6666);
            cpu.X[5] = 0xFFFF_ABCD;
        });
        Assert.Equal((0x1111_1111_1111_1111UL, 0x2222_2222_ABCD_2222UL), (m.Cpu.Low(4), m.Cpu.High(4)));
        Assert.Equal((0x8F8E8D8C_33333333UL, 0x4444_4444_4444_4444UL), (m.Cpu.Low(6), m.Cpu.High(6)));
        Assert.Equal((0x5555_5555_5555_5589UL, 0x6666_6666_6666_6666UL), (m.Cpu.Low(7), m.Cpu.High(7)));
    }

    [Fact]
    public void Umov_zero_extends_and_smov_sign_extends_to_32_or_64_bits()
    {
        using var m = Run("umov w7, v1.b[15]\nsmov x8, v1.h[3]\nsmov w9, v1.b[0]\nmov x10, v1.d[1]\nmov w11, v1.s[1]", cpu =>
        {
            cpu.V[1] = Source;
            cpu.X[7] = cpu.X[9] = cpu.X[11] = ulong.MaxValue;
        });
        Assert.Equal(0x8FUL, m.Cpu.X[7]);
        Assert.Equal(0xFFFF_FFFF_FFFF_8786UL, m.Cpu.X[8]);
        Assert.Equal(0xFFFF_FF80UL, m.Cpu.X[9]);
        Assert.Equal(0x8F8E8D8C_8B8A8988UL, m.Cpu.X[10]);
        Assert.Equal(0x87868584UL, m.Cpu.X[11]);
    }

    [Fact]
    public void Scalar_dup_copies_the_lane_and_clears_the_rest_of_the_register()
    {
        using var m = Run("dup h11, v1.h[7]\nmov d12, v1.d[1]", cpu =>
        {
            cpu.V[1] = Source;
            cpu.V[11] = cpu.V[12] = Q(~0UL, ~0UL);
        });
        Assert.Equal((0x8F8EUL, 0UL), (m.Cpu.Low(11), m.Cpu.High(11)));
        Assert.Equal((0x8F8E8D8C_8B8A8988UL, 0UL), (m.Cpu.Low(12), m.Cpu.High(12)));
    }

    [Theory]
    [InlineData(0x0E080400u)] // DUP Vd.1D, Vn.D[0]: 64-bit lanes need Q = 1
    [InlineData(0x0E000400u)] // DUP with imm5 = 00000
    [InlineData(0x0E081C00u)] // INS (general) with Q = 0
    [InlineData(0x6E080400u & 0xBFFFFFFFu)] // INS (element) with Q = 0
    [InlineData(0x0E042C00u)] // SMOV Wd, Vn.S[0]
    [InlineData(0x4E082C00u)] // SMOV Xd, Vn.D[0]
    [InlineData(0x0E083C00u)] // UMOV Wd, Vn.D[0]
    [InlineData(0x4E043C00u)] // UMOV Xd, Vn.S[0]
    [InlineData(0x0E011400u)] // copy, imm4 = 0010
    [InlineData(0x5E010C00u)] // scalar copy, imm4 = 0001
    [InlineData(0x7E010400u)] // scalar copy, op = 1
    public void Reserved_copy_encodings_are_undefined(uint encoding) => Assert.True(IsUndefined(encoding), $"0x{encoding:X8}");
}
