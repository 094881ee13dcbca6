using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

public sealed class HarnessTests
{
    [Fact]
    public void An_encoding_undefined_on_both_engines_agrees()
    {
        UnicornDifferential.Compare([0x0000_0000], A64State.Random(new Random(1))); // UDF #0
    }

    [Fact]
    public void Differences_name_each_register_and_byte_with_both_values()
    {
        var initial = A64State.Empty();
        var edgeVisor = initial.Clone();
        var unicorn = initial.Clone();
        edgeVisor.X[3] = 0x1234;
        unicorn.Nzcv = 0x6000_0000;
        unicorn.Data[16] = 0xAB;
        string text = UnicornDifferential.Differences(
            initial,
            new DifferentialOutcome(OutcomeKind.Completed, A64Machine.CodeBase + 4, edgeVisor, ""),
            new DifferentialOutcome(OutcomeKind.Completed, A64Machine.CodeBase + 4, unicorn, ""));
        Assert.Contains("X3: EdgeVisor 0x1234, Unicorn 0x0", text, StringComparison.Ordinal);
        Assert.Contains("NZCV: EdgeVisor 0x0, Unicorn 0x60000000", text, StringComparison.Ordinal);
        Assert.Contains($"data [0x{A64Machine.DataBase + 16:X}]: EdgeVisor 0x{initial.Data[16]:X2}, Unicorn 0xAB", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_result_is_reported_with_disassembly_and_seed()
    {
        // MRS X0, CNTVCT_EL0 reads host clocks: the two engines never agree, which exercises the failure path.
        var template = new InstructionTemplate("MRS CNTVCT_EL0", "1101010100 1 1 1 011 1110 0000 010 ddddd").Pin('d', 0);
        var failure = Assert.ThrowsAny<Exception>(() => UnicornDifferential.RunRandom([template], 1, seed: 77));
        Assert.Contains("seed 77", failure.Message, StringComparison.Ordinal);
        Assert.Contains("mrs\tx0, cntvct_el0".Replace('\t', ' '), failure.Message, StringComparison.Ordinal);
        Assert.Contains("X0: EdgeVisor", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_reject_malformed_patterns_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new InstructionTemplate("short", "0101"));
        Assert.Contains("template 'short': pattern has 4 bits, expected 32", error.Message, StringComparison.Ordinal);
        var template = new InstructionTemplate("fields", "1111 aaaa bbbb 0000 cccc gggg eeee ffff").Pin('a', 5).With('b', FieldConstraints.Range(2, 3));
        var rng = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            uint raw = template.Generate(rng, new GenerationContext(0, 1));
            Assert.Equal(0xF000_0000u, raw & 0xF00F_0000);
            Assert.Equal(5u, (raw >> 24) & 0xF);
            Assert.InRange((raw >> 20) & 0xF, 2u, 3u);
        }
    }

    [Fact]
    public void Faults_compare_as_faults_at_the_same_pc()
    {
        var state = A64State.Random(new Random(5));
        state.X[1] = 0x3000_0000; // unmapped
        state.X[2] = A64Machine.CodeBase + 2; // misaligned branch target
        UnicornDifferential.Compare([0xD503_201F, 0xF940_0020], state); // nop; ldr x0, [x1]
        UnicornDifferential.Compare([0xD503_201F, 0xF900_0020], state); // nop; str x0, [x1]
        UnicornDifferential.Compare([0xD61F_0040], state); // br x2
        state.X[2] = 0x3000_0000;
        UnicornDifferential.Compare([0xD61F_0040], state); // br x2 (unmapped)
    }
}
