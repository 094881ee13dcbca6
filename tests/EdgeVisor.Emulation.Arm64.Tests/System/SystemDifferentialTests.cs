using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.SystemInstructions;

public sealed class SystemDifferentialTests
{
    [Fact]
    public void Hints_barriers_and_EL0_register_moves_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom([.. SystemTemplates.All, .. SystemTemplates.FpStatus, .. SystemTemplates.Space], 2000, seed: 0x5A5, new DifferentialOptions { PrepareState = SystemTemplates.PrepareFpcrSource });
        report.AssertEveryTemplateExecuted();
    }
}
