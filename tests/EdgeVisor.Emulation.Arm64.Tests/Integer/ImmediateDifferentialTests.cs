using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Integer;

public sealed class ImmediateDifferentialTests
{
    [Fact]
    public void Data_processing_immediate_matches_Unicorn_on_random_encodings()
    {
        var report = UnicornDifferential.RunRandom(IntegerTemplates.Immediate, 4000, seed: 0x1A2B);
        report.AssertEveryTemplateExecuted();
    }
}
