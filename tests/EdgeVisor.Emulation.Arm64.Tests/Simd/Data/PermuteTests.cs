using System.Runtime.Intrinsics;
using static EdgeVisor.Emulation.Arm64.Tests.TestKit.VectorTestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

public sealed class PermuteTests
{
    private static Vector128<byte> Counting(byte first)
    {
        var bytes = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            bytes[i] = (byte)(first + i);
        }

        return Vector128.Create(bytes);
    }

    private static void Setup(Arm64Cpu cpu)
    {
        cpu.V[1] = Counting(0x00);
        cpu.V[2] = Counting(0x10);
        for (int r = 3; r < 8; r++)
        {
            cpu.V[r] = Q(~0UL, ~0UL);
        }
    }

    private static byte[] BytesOf(Arm64Cpu cpu, int n)
    {
        var bytes = new byte[16];
        cpu.V[n].CopyTo(bytes);
        return bytes;
    }

    [Fact]
    public void Zip_interleaves_the_lower_or_upper_halves()
    {
        using var m = Run("zip1 v3.16b, v1.16b, v2.16b\nzip2 v4.8b, v1.8b, v2.8b\nzip2 v5.2d, v1.2d, v2.2d", Setup);
        Assert.Equal(new byte[] { 0x00, 0x10, 0x01, 0x11, 0x02, 0x12, 0x03, 0x13, 0x04, 0x14, 0x05, 0x15, 0x06, 0x16, 0x07, 0x17 }, BytesOf(m.Cpu, 3));
        Assert.Equal(new byte[] { 0x04, 0x14, 0x05, 0x15, 0x06, 0x16, 0x07, 0x17, 0, 0, 0, 0, 0, 0, 0, 0 }, BytesOf(m.Cpu, 4));
        Assert.Equal((0x0F0E0D0C_0B0A0908UL, 0x1F1E1D1C_1B1A1918UL), (m.Cpu.Low(5), m.Cpu.High(5)));
    }

    [Fact]
    public void Uzp_takes_the_even_or_odd_lanes_of_the_pair()
    {
        using var m = Run("uzp1 v3.8h, v1.8h, v2.8h\nuzp2 v4.4s, v1.4s, v2.4s\nuzp1 v5.8b, v1.8b, v2.8b", Setup);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x0C, 0x0D, 0x10, 0x11, 0x14, 0x15, 0x18, 0x19, 0x1C, 0x1D }, BytesOf(m.Cpu, 3));
        Assert.Equal(new byte[] { 0x04, 0x05, 0x06, 0x07, 0x0C, 0x0D, 0x0E, 0x0F, 0x14, 0x15, 0x16, 0x17, 0x1C, 0x1D, 0x1E, 0x1F }, BytesOf(m.Cpu, 4));
        Assert.Equal(new byte[] { 0x00, 0x02, 0x04, 0x06, 0x10, 0x12, 0x14, 0x16, 0, 0, 0, 0, 0, 0, 0, 0 }, BytesOf(m.Cpu, 5));
    }

    [Fact]
    public void Trn_pairs_up_the_even_or_odd_lanes()
    {
        using var m = Run("trn1 v3.16b, v1.16b, v2.16b\ntrn2 v4.4h, v1.4h, v2.4h", Setup);
        Assert.Equal(new byte[] { 0x00, 0x10, 0x02, 0x12, 0x04, 0x14, 0x06, 0x16, 0x08, 0x18, 0x0A, 0x1A, 0x0C, 0x1C, 0x0E, 0x1E }, BytesOf(m.Cpu, 3));
        Assert.Equal((0x1716_0706_1312_0302UL, 0UL), (m.Cpu.Low(4), m.Cpu.High(4)));
    }

    [Fact]
    public void Ext_extracts_from_the_concatenation_with_vn_lowest()
    {
        using var m = Run("ext v3.16b, v1.16b, v2.16b, #3\next v4.8b, v1.8b, v2.8b, #7", Setup);
        Assert.Equal(new byte[] { 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12 }, BytesOf(m.Cpu, 3));
        Assert.Equal(new byte[] { 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0, 0, 0, 0, 0, 0, 0, 0 }, BytesOf(m.Cpu, 4));
    }

    [Fact]
    public void Tbl_gives_zero_and_tbx_keeps_the_destination_for_out_of_range_indices()
    {
        using var m = Run("tbl v3.16b, {v1.16b, v2.16b}, v6.16b\ntbx v5.8b, {v1.16b}, v6.8b", cpu =>
        {
            Setup(cpu);
            cpu.V[5] = Q(0xAAAA_AAAA_AAAA_AAAA, 0xBBBB_BBBB_BBBB_BBBB);
            cpu.V[6] = Bytes(0x1F, 0x00, 0x20, 0xFF, 0x10, 0x05, 0x0F, 0x80, 0x11, 0x01, 0x02, 0x03, 0x21, 0x1E, 0x40, 0x0A);
        });
        Assert.Equal(new byte[] { 0x1F, 0x00, 0x00, 0x00, 0x10, 0x05, 0x0F, 0x00, 0x11, 0x01, 0x02, 0x03, 0x00, 0x1E, 0x00, 0x0A }, BytesOf(m.Cpu, 3));
        Assert.Equal(new byte[] { 0xAA, 0x00, 0xAA, 0xAA, 0xAA, 0x05, 0x0F, 0xAA, 0, 0, 0, 0, 0, 0, 0, 0 }, BytesOf(m.Cpu, 5));
    }

    [Fact]
    public void Tbl_table_registers_wrap_from_v31_to_v0_and_vd_may_be_part_of_the_table()
    {
        using var m = Run("tbl v0.16b, {v30.16b, v31.16b, v0.16b, v1.16b}, v2.16b", cpu =>
        {
            cpu.V[30] = Counting(0xA0);
            cpu.V[31] = Counting(0xB0);
            cpu.V[0] = Counting(0xC0);
            cpu.V[1] = Counting(0xD0);
            cpu.V[2] = Bytes(0x00, 0x10, 0x20, 0x30, 0x3F, 0x40, 0x2F, 0x1F, 0x0F, 0x31, 0x22, 0x13, 0x04, 0xFF, 0x41, 0x3E);
        });
        Assert.Equal(new byte[] { 0xA0, 0xB0, 0xC0, 0xD0, 0xDF, 0x00, 0xCF, 0xBF, 0xAF, 0xD1, 0xC2, 0xB3, 0xA4, 0x00, 0x00, 0xDE }, BytesOf(m.Cpu, 0));
    }

    [Theory]
    [InlineData(0x0E400000u)] // table lookup with op2 = 01
    [InlineData(0x4E000800u)] // permute opcode 000
    [InlineData(0x4E004800u)] // permute opcode 100
    [InlineData(0x0EC03800u)] // ZIP1 Vd.1D: 64-bit lanes need Q = 1
    [InlineData(0x2E004000u)] // EXT Vd.8B with imm4 = 8
    [InlineData(0x2E400000u)] // extract with op2 = 01
    public void Reserved_permute_encodings_are_undefined(uint encoding) => Assert.True(IsUndefined(encoding), $"0x{encoding:X8}");
}
