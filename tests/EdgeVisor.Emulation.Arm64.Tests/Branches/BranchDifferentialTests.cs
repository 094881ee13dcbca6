using EdgeVisor.Emulation.Arm64.Tests.Integer;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Branches;

public sealed class BranchDifferentialTests
{
    private static readonly DifferentialOptions Targets = new() { PrepareState = BranchTemplates.PrepareTargets, InstructionLimit = 200 };

    [Fact]
    public void Immediate_branches_match_Unicorn_on_random_encodings()
    {
        var report = UnicornDifferential.RunRandom(BranchTemplates.Immediate, 2000, seed: 0xB4A);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Register_branches_match_Unicorn_including_faulting_targets()
    {
        var report = UnicornDifferential.RunRandom(BranchTemplates.Register, 1500, seed: 0xB4B, Targets);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Exception_generating_instructions_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(BranchTemplates.ExceptionGeneration, 1500, seed: 0xE7C);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Sequences_of_branches_and_integer_instructions_match_Unicorn()
    {
        var templates = BranchTemplates.Immediate.Concat(BranchTemplates.Register).Concat(IntegerTemplates.Immediate).ToList();
        UnicornDifferential.RunSequences(templates, 300, 24, seed: 0x5E9, Targets);
    }
}
