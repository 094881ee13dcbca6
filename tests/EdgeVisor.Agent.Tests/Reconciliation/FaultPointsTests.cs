using EdgeVisor.Agent.Reconciliation;

namespace EdgeVisor.Agent.Tests.Reconciliation;

public sealed class FaultPointsTests
{
    [Fact]
    public void All_names_accepted_and_a_before_and_after_point_for_every_step_in_order()
    {
        string[] expected =
        [
            "accepted",
            "before-fetch", "after-fetch",
            "before-verify", "after-verify",
            "before-stage", "after-stage",
            "before-stop-old", "after-stop-old",
            "before-start-new", "after-start-new",
            "before-health-check", "after-health-check",
        ];

        Assert.Equal(expected, FaultPoints.All);
    }

    [Fact]
    public void Hit_does_nothing_when_kill_at_is_unset_or_names_another_point()
    {
        // The process is still here to assert it: Hit only kills at the named point.
        FaultPoints.Hit(null, "after-fetch");
        FaultPoints.Hit("before-fetch", "after-fetch");
        FaultPoints.Hit("AFTER-FETCH", "after-fetch");
    }
}
