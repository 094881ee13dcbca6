using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>Exclusives, load-acquire/store-release, compare-and-swap and LSE atomic memory operations.</summary>
public sealed class AtomicTests
{
    private const ulong Data = A64Machine.DataBase;

    [Fact]
    public void A_store_exclusive_succeeds_after_a_matching_load_exclusive_and_fails_otherwise()
    {
        using var m = new A64Machine().Assemble("""
            ldxr x1, [x0]
            stxr w2, x3, [x0]
            stxr w4, x5, [x0]
            ldaxrb w6, [x0]
            stlxrh w7, w5, [x0]
            ldxr w8, [x0]
            stxr w9, w5, [x10]
            """);
        m.Memory.Write64(Data, 0x42);
        m.Cpu.X[0] = Data;
        m.Cpu.X[3] = 0x4343;
        m.Cpu.X[5] = 0x5555;
        m.Cpu.X[10] = Data + 4;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(7).Kind);
        Assert.Equal(0x42UL, m.Cpu.X[1]);
        Assert.Equal(0UL, m.Cpu.X[2]); // success
        Assert.Equal(1UL, m.Cpu.X[4]); // the monitor was cleared by the first store
        Assert.Equal(0x43UL, m.Cpu.X[6]);
        Assert.Equal(1UL, m.Cpu.X[7]); // a halfword store-exclusive after a byte load: memory (0x4343) no longer equals the loaded 0x43
        Assert.Equal(0x4343UL, m.Cpu.X[8]);
        Assert.Equal(1UL, m.Cpu.X[9]); // address differs
        Assert.Equal(0x4343UL, m.Memory.Read64(Data));
    }

    [Fact]
    public void A_store_exclusive_fails_when_memory_changed_since_the_load_exclusive()
    {
        using var m = new A64Machine().Assemble("""
            ldxr w1, [x0]
            stxr w2, w3, [x0]
            """);
        m.Memory.Write32(Data, 7);
        m.Cpu.X[0] = Data;
        m.Cpu.X[3] = 9;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(1).Kind);
        m.Memory.Write32(Data, 8); // another thread's store
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(1).Kind);
        Assert.Equal(1UL, m.Cpu.X[2]);
        Assert.Equal(8u, m.Memory.Read32(Data));
    }

    [Fact]
    public void Exclusive_pairs_load_and_store_both_registers()
    {
        using var m = new A64Machine().Assemble("""
            ldxp x1, x2, [x0]
            stxp w3, x4, x5, [x0]
            ldaxp w6, w7, [x8]
            stlxp w9, w5, w4, [x8]
            """);
        m.Memory.Write64(Data, 0x11);
        m.Memory.Write64(Data + 8, 0x22);
        m.Memory.Write64(Data + 0x20, 0x0000_0044_0000_0033);
        m.Cpu.X[0] = Data;
        m.Cpu.X[4] = 0xA4;
        m.Cpu.X[5] = 0xA5;
        m.Cpu.X[8] = Data + 0x20;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(4).Kind);
        Assert.Equal((0x11UL, 0x22UL), (m.Cpu.X[1], m.Cpu.X[2]));
        Assert.Equal(0UL, m.Cpu.X[3]);
        Assert.Equal((0xA4UL, 0xA5UL), (m.Memory.Read64(Data), m.Memory.Read64(Data + 8)));
        Assert.Equal((0x33UL, 0x44UL), (m.Cpu.X[6], m.Cpu.X[7]));
        Assert.Equal(0UL, m.Cpu.X[9]);
        Assert.Equal(0x0000_00A4_0000_00A5UL, m.Memory.Read64(Data + 0x20));
    }

    [Fact]
    public void Load_acquire_and_store_release_move_values_of_every_width()
    {
        using var m = new A64Machine().Assemble("""
            stlr x1, [x0]
            ldar x2, [x0]
            stlrb w1, [x3]
            ldarh w4, [x0]
            ldar w5, [x3]
            """);
        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = 0x8877_6655_4433_2211;
        m.Cpu.X[3] = Data + 0x10;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(5).Kind);
        Assert.Equal(0x8877_6655_4433_2211UL, m.Cpu.X[2]);
        Assert.Equal(0x2211UL, m.Cpu.X[4]);
        Assert.Equal(0x11UL, m.Cpu.X[5]);
    }

    [Fact]
    public void Compare_and_swap_writes_only_on_a_match_and_always_returns_the_old_value()
    {
        using var m = new A64Machine().Assemble("""
            cas x1, x2, [x0]
            casal x3, x4, [x0]
            casb w5, w6, [x7]
            casp x8, x9, x10, x11, [x12]
            caspa w14, w15, w16, w17, [x13]
            """);
        m.Memory.Write64(Data, 100);
        m.Memory.Write8(Data + 0x10, 0xF0);
        m.Memory.Write64(Data + 0x20, 1);
        m.Memory.Write64(Data + 0x28, 2);
        m.Memory.Write64(Data + 0x30, 0x0000_0004_0000_0003);
        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = 99; // mismatch
        m.Cpu.X[2] = 1;
        m.Cpu.X[3] = 100; // match
        m.Cpu.X[4] = 200;
        m.Cpu.X[5] = 0x1234_56F0; // compared at byte width: matches 0xF0
        m.Cpu.X[6] = 0x0F;
        m.Cpu.X[7] = Data + 0x10;
        (m.Cpu.X[8], m.Cpu.X[9], m.Cpu.X[10], m.Cpu.X[11], m.Cpu.X[12]) = (1, 2, 10, 20, Data + 0x20);
        (m.Cpu.X[14], m.Cpu.X[15], m.Cpu.X[16], m.Cpu.X[17], m.Cpu.X[13]) = (3, 5, 30, 40, Data + 0x30);
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(5).Kind);
        Assert.Equal(100UL, m.Cpu.X[1]);
        Assert.Equal(100UL, m.Cpu.X[3]);
        Assert.Equal(200UL, m.Memory.Read64(Data));
        Assert.Equal(0xF0UL, m.Cpu.X[5]);
        Assert.Equal(0x0F, m.Memory.Read8(Data + 0x10));
        Assert.Equal((1UL, 2UL), (m.Cpu.X[8], m.Cpu.X[9]));
        Assert.Equal((10UL, 20UL), (m.Memory.Read64(Data + 0x20), m.Memory.Read64(Data + 0x28)));
        Assert.Equal((3UL, 4UL), (m.Cpu.X[14], m.Cpu.X[15]));
        Assert.Equal(0x0000_0004_0000_0003UL, m.Memory.Read64(Data + 0x30)); // 5 != 4: no write
    }

    [Theory]
    [InlineData("ldadd x1, x2, [x0]", 0x10UL, 0x5UL, 0x15UL)]
    [InlineData("ldclr x1, x2, [x0]", 0xFFUL, 0x0FUL, 0xF0UL)]
    [InlineData("ldeor x1, x2, [x0]", 0xFFUL, 0x0FUL, 0xF0UL)]
    [InlineData("ldset x1, x2, [x0]", 0xF0UL, 0x0FUL, 0xFFUL)]
    [InlineData("ldsmax x1, x2, [x0]", 0xFFFF_FFFF_FFFF_FFFFUL, 0x1UL, 0x1UL)]
    [InlineData("ldsmin x1, x2, [x0]", 0xFFFF_FFFF_FFFF_FFFFUL, 0x1UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [InlineData("ldumax x1, x2, [x0]", 0xFFFF_FFFF_FFFF_FFFFUL, 0x1UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [InlineData("ldumin x1, x2, [x0]", 0xFFFF_FFFF_FFFF_FFFFUL, 0x1UL, 0x1UL)]
    [InlineData("swpal x1, x2, [x0]", 0x1234UL, 0x5678UL, 0x5678UL)]
    [InlineData("ldsmaxb w1, w2, [x0]", 0x80UL, 0x7FUL, 0x7FUL)]
    [InlineData("ldsminh w1, w2, [x0]", 0x8000UL, 0x7FFFUL, 0x8000UL)]
    [InlineData("ldaddalh w1, w2, [x0]", 0xFFFFUL, 0x2UL, 0x1UL)]
    [InlineData("lduminl w1, w2, [x0]", 0x8000_0000UL, 0x1_0000_0001UL, 0x1UL)]
    [InlineData("stadd w1, [x0]", 0x1UL, 0x1UL, 0x2UL)]
    public void Atomic_memory_operations_store_the_result_and_return_the_old_value(string instruction, ulong memory, ulong operand, ulong result)
    {
        using var m = new A64Machine().Assemble(instruction);
        m.Memory.Write64(Data, memory);
        m.Cpu.X[0] = Data;
        m.Cpu.X[1] = operand;
        m.Cpu.X[2] = 0xDEAD;
        Assert.Equal(Arm64StopKind.InstructionLimit, m.Run(1).Kind);
        Assert.Equal(result, m.Memory.Read64(Data));
        bool storeAlias = instruction.StartsWith("st", StringComparison.Ordinal);
        Assert.Equal(storeAlias ? 0xDEADUL : memory, m.Cpu.X[2]);
    }
}
