using EdgeVisor.Emulation.Arm64.Tests.Branches;
using EdgeVisor.Emulation.Arm64.Tests.SystemInstructions;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Integer;

public sealed class RegisterDifferentialTests
{
    [Fact]
    public void Data_processing_register_matches_Unicorn_on_random_encodings()
    {
        var report = UnicornDifferential.RunRandom(IntegerTemplates.Register, 6000, seed: 0x2E6);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Common_register_shapes_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(IntegerTemplates.Common, 2000, seed: 0xC0);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Risu_style_sequences_of_integer_branch_and_system_instructions_match_Unicorn()
    {
        var templates = IntegerTemplates.Immediate.Concat(IntegerTemplates.Register).Concat(IntegerTemplates.Common)
            .Concat(BranchTemplates.Immediate).Concat(SystemTemplates.All).ToList();
        UnicornDifferential.RunSequences(templates, 400, 30, seed: 0x715C, new DifferentialOptions { PrepareState = SystemTemplates.PrepareFpcrSource });
    }
}
