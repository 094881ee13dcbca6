using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>One-register loads and stores: every addressing mode, width and extension, on the TestKit machine.</summary>
public sealed class SingleRegisterTests
{
    private const ulong Data = A64Machine.DataBase;

    [Fact]
    public void Loads_of_every_width_zero_or_sign_extend_as_the_mnemonic_says()
    {
        using var m = new A64Machine().Assemble("""
            ldr x1, [x0]
            ldr w2, [x0]
            ldrb w3, [x0, #7]
            ldrh w4, [x0, #6]
            ldrsb x5, [x0, #7]
            ldrsb w6, [x0, #7]
            ldrsh x7, [x0, #6]
            ldrsh w8, [x0, #6]
            ldrsw x9, [x0, #4]
            ldr w10, [x0, #4]
            """);
        m.Memory.Write64(Data + 0x10, 0x8877_6655_F433_2211);
        m.Cpu.X[0] = Data + 0x10;
        for (int i = 1; i <= 10; i++)
        {
            m.Cpu.X[i] = 0xDEAD_BEEF_DEAD_BEEF;
        }

        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(10).Kind);
        Assert.Equal(0x8877_6655_F433_2211UL, m.Cpu.X[1]);
        Assert.Equal(0xF433_2211UL, m.Cpu.X[2]);
        Assert.Equal(0x88UL, m.Cpu.X[3]);
        Assert.Equal(0x8877UL, m.Cpu.X[4]);
        Assert.Equal(0xFFFF_FFFF_FFFF_FF88UL, m.Cpu.X[5]);
        Assert.Equal(0xFFFF_FF88UL, m.Cpu.X[6]);
        Assert.Equal(0xFFFF_FFFF_FFFF_8877UL, m.Cpu.X[7]);
        Assert.Equal(0xFFFF_8877UL, m.Cpu.X[8]);
        Assert.Equal(0xFFFF_FFFF_8877_6655UL, m.Cpu.X[9]);
        Assert.Equal(0x8877_6655UL, m.Cpu.X[10]);
    }

    [Fact]
    public void Stores_write_only_their_width()
    {
        using var m = new A64Machine().Assemble("""
            str x1, [x0]
            str w1, [x0, #8]
            strh w1, [x0, #16]
            strb w1, [x0, #24]
            stur x1, [x0, #-8]
            str xzr, [x0, #32]
            """);
        var fill = Enumerable.Repeat((byte)0xAA, 64).ToArray();
        Assert.True(m.Memory.TryWrite(Data + 0x100 - 8, fill));
        m.Cpu.X[0] = Data + 0x100;
        m.Cpu.X[1] = 0x0102_0304_0506_0708;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(6).Kind);
        Assert.Equal(0x0102_0304_0506_0708UL, m.Memory.Read64(Data + 0x100));
        Assert.Equal(0xAAAA_AAAA_0506_0708UL, m.Memory.Read64(Data + 0x108));
        Assert.Equal(0xAAAA_AAAA_AAAA_0708UL, m.Memory.Read64(Data + 0x110));
        Assert.Equal(0xAAAA_AAAA_AAAA_AA08UL, m.Memory.Read64(Data + 0x118));
        Assert.Equal(0x0102_0304_0506_0708UL, m.Memory.Read64(Data + 0xF8));
        Assert.Equal(0UL, m.Memory.Read64(Data + 0x120));
    }

    [Fact]
    public void Pre_and_post_index_write_the_base_back_and_access_the_right_address()
    {
        using var m = new A64Machine().Assemble("""
            ldr x1, [x0, #8]!
            ldr x2, [x0], #-16
            str x3, [sp, #-16]!
            ldrb w4, [x5], #1
            ldrb w6, [x5], #1
            """);
        m.Memory.Write64(Data + 0x208, 0x1111);
        m.Memory.Write16(Data + 0x300, 0x2233);
        m.Cpu.X[0] = Data + 0x200;
        m.Cpu.X[3] = 0x5555;
        m.Cpu.X[5] = Data + 0x300;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(5).Kind);
        Assert.Equal(0x1111UL, m.Cpu.X[1]);
        Assert.Equal(0x1111UL, m.Cpu.X[2]);
        Assert.Equal(Data + 0x1F8, m.Cpu.X[0]);
        Assert.Equal(A64Machine.StackTop - 16, m.Cpu.Sp);
        Assert.Equal(0x5555UL, m.Memory.Read64(A64Machine.StackTop - 16));
        Assert.Equal(0x33UL, m.Cpu.X[4]);
        Assert.Equal(0x22UL, m.Cpu.X[6]);
        Assert.Equal(Data + 0x302, m.Cpu.X[5]);
    }

    [Fact]
    public void Register_offsets_extend_and_scale_the_index()
    {
        using var m = new A64Machine().Assemble("""
            ldr x1, [x0, x2, lsl #3]
            ldr x3, [x0, w4, sxtw #3]
            ldr w5, [x0, w6, uxtw #2]
            ldrb w7, [x0, x8]
            ldrh w9, [x0, x10, sxtx #1]
            """);
        m.Memory.Write64(Data + 0x400 + 0x18, 0xA1);
        m.Memory.Write64(Data + 0x400 - 0x10, 0xB2);
        m.Memory.Write32(Data + 0x400 + 0x20, 0xC3);
        m.Memory.Write8(Data + 0x400 + 0x5, 0xD4);
        m.Memory.Write16(Data + 0x400 - 0x4, 0xE5F6);
        m.Cpu.X[0] = Data + 0x400;
        m.Cpu.X[2] = 3;
        m.Cpu.X[4] = 0x1234_5678_FFFF_FFFE; // SXTW takes the low word: -2
        m.Cpu.X[6] = 0xFFFF_FFFF_0000_0008; // UXTW takes the low word: 8
        m.Cpu.X[8] = 5;
        m.Cpu.X[10] = unchecked((ulong)-2L);
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(5).Kind);
        Assert.Equal(0xA1UL, m.Cpu.X[1]);
        Assert.Equal(0xB2UL, m.Cpu.X[3]);
        Assert.Equal(0xC3UL, m.Cpu.X[5]);
        Assert.Equal(0xD4UL, m.Cpu.X[7]);
        Assert.Equal(0xE5F6UL, m.Cpu.X[9]);
    }

    [Fact]
    public void Literal_loads_read_relative_to_the_instruction()
    {
        using var m = new A64Machine().Assemble("""
            ldr x1, value
            ldr w2, value
            ldrsw x3, value + 4
            ldr q4, vector
            ldr d5, value
            ldr s6, value
            prfm pldl1keep, value
            b .
            .balign 16
            value: .quad 0x80000001C0000002
            vector: .quad 0x1111111122222222, 0x3333333344444444
            """);
        m.Cpu.V[5] = Vector128.Create((byte)0xFF);
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(7).Kind);
        Assert.Equal(0x8000_0001_C000_0002UL, m.Cpu.X[1]);
        Assert.Equal(0xC000_0002UL, m.Cpu.X[2]);
        Assert.Equal(0xFFFF_FFFF_8000_0001UL, m.Cpu.X[3]);
        Assert.Equal(Vector128.Create(0x1111_1111_2222_2222UL, 0x3333_3333_4444_4444UL), m.Cpu.V[4].AsUInt64());
        Assert.Equal(Vector128.Create(0x8000_0001_C000_0002UL, 0UL), m.Cpu.V[5].AsUInt64());
        Assert.Equal(Vector128.Create(0xC000_0002UL, 0UL), m.Cpu.V[6].AsUInt64());
    }

    [Fact]
    public void Simd_and_fp_scalar_loads_clear_the_rest_of_the_register_and_stores_take_the_low_element()
    {
        using var m = new A64Machine().Assemble("""
            ldr b1, [x0]
            ldr h2, [x0]
            ldr s3, [x0]
            ldr d4, [x0]
            ldr q5, [x0]
            str q5, [x0, #32]
            str b5, [x0, #64]
            str h5, [x0, #72]
            stur s5, [x0, #79]
            str d5, [x0, #88]
            ldr q6, [x0, x1, lsl #4]
            ldr d7, [x0], #8
            """);
        var bytes = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        Assert.True(m.Memory.TryWrite(Data, bytes));
        for (int i = 1; i <= 7; i++)
        {
            m.Cpu.V[i] = Vector128.Create((byte)0xEE);
        }

        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = 2;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(12).Kind);
        Assert.Equal(Vector128.CreateScalar((byte)1), m.Cpu.V[1]);
        Assert.Equal(Vector128.CreateScalar((ushort)0x0201).AsByte(), m.Cpu.V[2]);
        Assert.Equal(Vector128.CreateScalar(0x0403_0201u).AsByte(), m.Cpu.V[3]);
        Assert.Equal(Vector128.CreateScalar(0x0807_0605_0403_0201UL).AsByte(), m.Cpu.V[4]);
        Assert.Equal(Vector128.Create(bytes), m.Cpu.V[5]);
        Assert.Equal(Vector128.Create(bytes), m.Memory.Read128(Data + 32));
        Assert.Equal(1, m.Memory.Read8(Data + 64));
        Assert.Equal(0, m.Memory.Read8(Data + 65));
        Assert.Equal(0x0201, m.Memory.Read16(Data + 72));
        Assert.Equal(0x0403_0201u, m.Memory.Read32(Data + 79));
        Assert.Equal(0x0807_0605_0403_0201UL, m.Memory.Read64(Data + 88));
        Assert.Equal(Vector128.Create(bytes), m.Cpu.V[6]);
        Assert.Equal(Vector128.CreateScalar(0x0807_0605_0403_0201UL).AsByte(), m.Cpu.V[7]);
        Assert.Equal(Data + 8, m.Cpu.X[0]);
    }

    [Fact]
    public void Unprivileged_forms_act_as_ordinary_accesses_at_el0_and_loads_into_xzr_are_discarded()
    {
        using var m = new A64Machine().Assemble("""
            sttr x1, [x0, #16]
            ldtr x2, [x0, #16]
            ldtrsb w3, [x0, #16]
            ldr xzr, [x0, #16]
            prfm pldl1keep, [x9]
            prfum pstl2strm, [x9, #-3]
            prfm plil3keep, [x9, x1]
            """);
        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = 0x7F80;
        m.Cpu.X[9] = 0x7000_0000; // unmapped: prefetches never fault
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(7).Kind);
        Assert.Equal(0x7F80UL, m.Cpu.X[2]);
        Assert.Equal(0xFFFF_FF80UL, m.Cpu.X[3]);
        Assert.Equal(0UL, m.Cpu.X[32]);
    }

    [Fact]
    public void Base_register_31_is_sp_and_a_source_register_31_is_xzr()
    {
        using var m = new A64Machine().Assemble("""
            str xzr, [sp, #8]
            ldr x1, [sp, #8]
            ldr x2, [x0, xzr]
            """);
        m.Memory.Write64(A64Machine.StackTop - 0x100 + 8, 0x99);
        m.Memory.Write64(Data, 0x77);
        m.Cpu.Sp = A64Machine.StackTop - 0x100;
        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = 5;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(3).Kind);
        Assert.Equal(0UL, m.Cpu.X[1]);
        Assert.Equal(0x77UL, m.Cpu.X[2]);
    }
}
