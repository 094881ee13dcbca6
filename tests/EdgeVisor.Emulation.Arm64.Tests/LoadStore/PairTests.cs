using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>LDP/STP/LDNP/STNP/LDPSW for general and SIMD&amp;FP registers in every addressing mode.</summary>
public sealed class PairTests
{
    private const ulong Data = A64Machine.DataBase;

    [Fact]
    public void A_push_and_pop_of_a_frame_record_round_trips_through_the_stack()
    {
        using var m = new A64Machine().Assemble("""
            stp x29, x30, [sp, #-32]!
            stp x1, x2, [sp, #16]
            ldp x3, x4, [sp, #16]
            ldp x5, x6, [sp], #32
            """);
        m.Cpu.X[29] = 0x2929;
        m.Cpu.X[30] = 0x3030;
        m.Cpu.X[1] = 0x0101;
        m.Cpu.X[2] = 0x0202;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(4).Kind);
        Assert.Equal(0x2929UL, m.Memory.Read64(A64Machine.StackTop - 32));
        Assert.Equal(0x3030UL, m.Memory.Read64(A64Machine.StackTop - 24));
        Assert.Equal((0x0101UL, 0x0202UL), (m.Cpu.X[3], m.Cpu.X[4]));
        Assert.Equal((0x2929UL, 0x3030UL), (m.Cpu.X[5], m.Cpu.X[6]));
        Assert.Equal(A64Machine.StackTop, m.Cpu.Sp);
    }

    [Fact]
    public void Word_pairs_zero_extend_and_ldpsw_sign_extends()
    {
        using var m = new A64Machine().Assemble("""
            stp w1, w2, [x0, #-8]
            ldp w3, w4, [x0, #-8]
            ldpsw x5, x6, [x0, #-8]
            ldnp w7, w8, [x0, #-8]
            stnp xzr, x2, [x0]
            """);
        m.Cpu.X[0] = Data + 0x100;
        m.Cpu.X[1] = 0xAAAA_AAAA_8000_0000;
        m.Cpu.X[2] = 0xBBBB_BBBB_7FFF_FFFF;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(5).Kind);
        Assert.Equal(0x7FFF_FFFF_8000_0000UL, m.Memory.Read64(Data + 0xF8));
        Assert.Equal((0x8000_0000UL, 0x7FFF_FFFFUL), (m.Cpu.X[3], m.Cpu.X[4]));
        Assert.Equal((0xFFFF_FFFF_8000_0000UL, 0x7FFF_FFFFUL), (m.Cpu.X[5], m.Cpu.X[6]));
        Assert.Equal((0x8000_0000UL, 0x7FFF_FFFFUL), (m.Cpu.X[7], m.Cpu.X[8]));
        Assert.Equal(0UL, m.Memory.Read64(Data + 0x100));
        Assert.Equal(0xBBBB_BBBB_7FFF_FFFFUL, m.Memory.Read64(Data + 0x108));
    }

    [Fact]
    public void Simd_and_fp_pairs_of_s_d_and_q_registers_round_trip_and_clear_upper_bits()
    {
        using var m = new A64Machine().Assemble("""
            stp q1, q2, [x0], #32
            stp d1, d2, [x0]
            stp s1, s2, [x0, #16]!
            ldp q3, q4, [x9]
            ldp d5, d6, [x9]
            ldp s7, s8, [x9, #-8]
            """);
        var q1 = Vector128.Create(1UL, 2UL).AsByte();
        var q2 = Vector128.Create(3UL, 4UL).AsByte();
        m.Cpu.V[1] = q1;
        m.Cpu.V[2] = q2;
        for (int i = 3; i <= 8; i++)
        {
            m.Cpu.V[i] = Vector128.Create((byte)0xCC);
        }

        m.Cpu.X[0] = Data;
        m.Cpu.X[9] = Data + 8;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(6).Kind);
        Assert.Equal(1UL, m.Memory.Read64(Data));
        Assert.Equal(4UL, m.Memory.Read64(Data + 24));
        Assert.Equal(1UL, m.Memory.Read64(Data + 32));
        Assert.Equal(3UL, m.Memory.Read64(Data + 40));
        Assert.Equal(1UL | (3UL << 32), m.Memory.Read64(Data + 48));
        Assert.Equal(Data + 48, m.Cpu.X[0]);
        Assert.Equal(Vector128.Create(2UL, 3UL), m.Cpu.V[3].AsUInt64());
        Assert.Equal(Vector128.Create(4UL, 1UL), m.Cpu.V[4].AsUInt64());
        Assert.Equal(Vector128.Create(2UL, 0UL), m.Cpu.V[5].AsUInt64());
        Assert.Equal(Vector128.Create(3UL, 0UL), m.Cpu.V[6].AsUInt64());
        Assert.Equal(Vector128.Create(1u, 0u, 0u, 0u), m.Cpu.V[7].AsUInt32());
        Assert.Equal(Vector128.Create(0u, 0u, 0u, 0u), m.Cpu.V[8].AsUInt32());
    }
}
