using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Integer;

/// <summary>
/// Uniformly random words from each whole top-level group this work owns, so decode holes and wrongly accepted
/// reserved encodings show up (defined/undefined must agree with Unicorn, and defined ones must compute the same).
/// </summary>
public sealed class EncodingSpaceTests
{
    [Fact]
    public void The_whole_data_processing_immediate_group_matches_Unicorn()
    {
        var report = UnicornDifferential.RunRandom([new InstructionTemplate("DP immediate group", "aaa 100 bbbbbbbbbbbbbbbbbbbbbbbbbb")], 3000, seed: 0xD1);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void The_whole_data_processing_register_group_matches_Unicorn()
    {
        var report = UnicornDifferential.RunRandom([new InstructionTemplate("DP register group", "aaaa 101 bbbbbbbbbbbbbbbbbbbbbbbbb")], 4000, seed: 0xD2);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void The_branch_and_exception_group_outside_system_instructions_matches_Unicorn()
    {
        // System instructions (11010101…) are left out: Unicorn runs at EL1, where most of them are legal.
        // Also SMC and ERET/DRPS (EL1 behaviour in Unicorn) — see Unicorn/README.md.
        var template = new InstructionTemplate("branch/exception group", "aaa 101 bbbbbbbbbbbbbbbbbbbbbbbbbb")
            .Reject(raw => (raw >> 24) == 0b1101_0101)
            .Reject(raw => (raw & 0xFFE0_001F) == 0xD400_0003)
            .Reject(raw => (raw >> 25) == 0b110_1011 && ((raw >> 21) & 0xF) is 0b0100 or 0b0101);
        var report = UnicornDifferential.RunRandom([template], 3000, seed: 0xD3, new DifferentialOptions { InstructionLimit = 50 });
        report.AssertEveryTemplateExecuted();
    }
}
