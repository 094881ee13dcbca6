using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>Advanced SIMD structure loads and stores: LD1–LD4/ST1–ST4 (multiple and single lane) and LD1R–LD4R.</summary>
public sealed class StructureTests
{
    private const ulong Data = A64Machine.DataBase;

    private static readonly byte[] Counting = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    private static A64Machine Machine(string source)
    {
        var m = new A64Machine().Assemble(source);
        Assert.True(m.Memory.TryWrite(Data, Counting));
        for (int i = 0; i < 32; i++)
        {
            m.Cpu.V[i] = Vector128.Create((byte)0xEE);
        }

        m.Cpu.X[0] = Data;
        return m;
    }

    private static Vector128<byte> Bytes(params int[] values) => Vector128.Create(values.Select(v => (byte)v).ToArray());

    [Fact]
    public void Ld1_with_several_registers_loads_consecutive_blocks_and_wraps_register_numbers()
    {
        using var m = Machine("""
            ld1 {v30.16b, v31.16b, v0.16b}, [x0]
            ld1 {v4.8b, v5.8b}, [x0]
            """);
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(2).Kind);
        Assert.Equal(Vector128.Create(Counting, 0), m.Cpu.V[30]);
        Assert.Equal(Vector128.Create(Counting, 16), m.Cpu.V[31]);
        Assert.Equal(Vector128.Create(Counting, 32), m.Cpu.V[0]);
        Assert.Equal(Vector128.CreateScalar(0x0706_0504_0302_0100UL).AsByte(), m.Cpu.V[4]);
        Assert.Equal(Vector128.CreateScalar(0x0F0E_0D0C_0B0A_0908UL).AsByte(), m.Cpu.V[5]);
    }

    [Fact]
    public void Ld2_ld3_ld4_deinterleave_elements_into_their_registers()
    {
        using var m = Machine("""
            ld2 {v1.8h, v2.8h}, [x0]
            ld3 {v3.4s, v4.4s, v5.4s}, [x0]
            ld4 {v6.8b, v7.8b, v8.8b, v9.8b}, [x0]
            """);
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(3).Kind);
        Assert.Equal(Bytes(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29), m.Cpu.V[1]);
        Assert.Equal(Bytes(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31), m.Cpu.V[2]);
        Assert.Equal(Bytes(0, 1, 2, 3, 12, 13, 14, 15, 24, 25, 26, 27, 36, 37, 38, 39), m.Cpu.V[3]);
        Assert.Equal(Bytes(8, 9, 10, 11, 20, 21, 22, 23, 32, 33, 34, 35, 44, 45, 46, 47), m.Cpu.V[5]);
        Assert.Equal(Bytes(0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0), m.Cpu.V[6]);
        Assert.Equal(Bytes(3, 7, 11, 15, 19, 23, 27, 31, 0, 0, 0, 0, 0, 0, 0, 0), m.Cpu.V[9]);
    }

    [Fact]
    public void Stores_interleave_as_the_loads_deinterleave_and_post_index_by_size_or_register()
    {
        using var m = Machine("""
            ld3 {v1.8h, v2.8h, v3.8h}, [x0], #48
            st3 {v1.8h, v2.8h, v3.8h}, [x1], x2
            st1 {v1.2d}, [x1], #16
            st4 {v1.s, v2.s, v3.s, v4.s}[1], [x3]
            """);
        m.Cpu.X[1] = Data + 0x100;
        m.Cpu.X[2] = 0x40;
        m.Cpu.X[3] = Data + 0x200;
        m.Cpu.V[4] = Vector128.Create(0x1111_1111u, 0x2222_2222u, 0x3333_3333u, 0x4444_4444u).AsByte();
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(4).Kind);
        var copy = new byte[48];
        Assert.True(m.Memory.TryRead(Data + 0x100, copy));
        Assert.Equal(Counting[..48], copy);
        Assert.Equal(Data + 48, m.Cpu.X[0]);
        Assert.Equal(Data + 0x150, m.Cpu.X[1]);
        Assert.Equal(m.Cpu.V[1], m.Memory.Read128(Data + 0x140));
        Assert.Equal(0x1312_0D0Cu, m.Memory.Read32(Data + 0x200)); // word lane 1 of v1 = its halfword lanes 2 and 3 = bytes 12,13 and 18,19
        Assert.Equal(0x2222_2222u, m.Memory.Read32(Data + 0x20C));
    }

    [Fact]
    public void Single_lane_loads_keep_the_other_lanes_and_replicating_loads_fill_every_lane()
    {
        using var m = Machine("""
            ld1 {v1.b}[15], [x0]
            ld2 {v2.h, v3.h}[3], [x0], #4
            ld1 {v4.d}[1], [x5]
            ld1r {v6.4s}, [x5]
            ld2r {v7.8b, v8.8b}, [x5]
            ld4r {v9.2d, v10.2d, v11.2d, v12.2d}, [x5]
            """);
        m.Cpu.X[5] = Data + 8;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(6).Kind);
        Assert.Equal(Vector128.Create((byte)0xEE).WithElement(15, (byte)0), m.Cpu.V[1]);
        Assert.Equal(Vector128.Create((ushort)0xEEEE).WithElement(3, (ushort)0x0100), m.Cpu.V[2].AsUInt16());
        Assert.Equal(Vector128.Create((ushort)0xEEEE).WithElement(3, (ushort)0x0302), m.Cpu.V[3].AsUInt16());
        Assert.Equal(Data + 4, m.Cpu.X[0]);
        Assert.Equal(Vector128.Create(0xEEEE_EEEE_EEEE_EEEEUL, 0x0F0E_0D0C_0B0A_0908UL), m.Cpu.V[4].AsUInt64());
        Assert.Equal(Vector128.Create(0x0B0A_0908u), m.Cpu.V[6].AsUInt32());
        Assert.Equal(Vector128.Create(0x0808_0808_0808_0808UL, 0UL), m.Cpu.V[7].AsUInt64());
        Assert.Equal(Vector128.Create(0x0909_0909_0909_0909UL, 0UL), m.Cpu.V[8].AsUInt64());
        Assert.Equal(Vector128.Create(0x0F0E_0D0C_0B0A_0908UL), m.Cpu.V[9].AsUInt64());
        Assert.Equal(Vector128.Create(0x2726_2524_2322_2120UL), m.Cpu.V[12].AsUInt64());
    }

    [Fact]
    public void A_structure_access_reaching_an_unmapped_page_faults_there_and_changes_nothing()
    {
        using var m = Machine("""
            ld4 {v1.16b, v2.16b, v3.16b, v4.16b}, [x1], #64
            st1 {v1.16b, v2.16b}, [x1], #32
            """);
        ulong end = Data + A64Machine.DataSize;
        m.Cpu.X[1] = end - 32;
        var stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.Equal(end, stop.Address);
        Assert.Equal(Vector128.Create((byte)0xEE), m.Cpu.V[1]);
        Assert.Equal(end - 32, m.Cpu.X[1]);

        m.Cpu.Pc = A64Machine.CodeBase + 4;
        m.Cpu.X[1] = end - 16;
        stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.True(stop.Write);
        Assert.Equal(end, stop.Address);
        Assert.Equal(0UL, m.Memory.Read64(end - 16));
        Assert.Equal(end - 16, m.Cpu.X[1]);
    }
}
