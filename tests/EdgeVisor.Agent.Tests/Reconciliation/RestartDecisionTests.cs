using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>The restart policy's arithmetic: which exits restart, how long the backoff is, when a streak ends.</summary>
public sealed class RestartDecisionTests
{
    private static readonly WorkloadExit Fault = new(true, null, "unhandled fault: HardFault at 0x08000134");
    private static readonly WorkloadExit Clean = new(false, 0, "exited with code 0");

    [Theory]
    [InlineData(RestartModes.OnFailure, true, "Restart")]
    [InlineData(RestartModes.OnFailure, false, "Stop")]
    [InlineData(RestartModes.Always, true, "Restart")]
    [InlineData(RestartModes.Always, false, "Restart")]
    [InlineData(RestartModes.Never, true, "Fail")]
    [InlineData(RestartModes.Never, false, "Stop")]
    public void Each_mode_restarts_stops_or_fails_as_documented(string mode, bool failed, string expected)
    {
        var decision = RestartDecision.Decide(new RestartPolicy { Mode = mode }, failed ? Fault : Clean, streak: 0);

        Assert.Equal(expected, decision.Action.ToString());
        Assert.Equal((failed ? Fault : Clean).Reason, decision.Reason);
    }

    [Fact]
    public void The_backoff_doubles_per_restart_of_a_streak_up_to_the_maximum()
    {
        var policy = new RestartPolicy { BackoffSeconds = 1, MaxBackoffSeconds = 10 };

        double[] delays = Enumerable.Range(0, 6).Select(streak => RestartDecision.Decide(policy, Fault, streak).Delay.TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 10, 10], delays);
    }

    [Fact]
    public void The_restart_limit_leaves_the_workload_failed_naming_the_count_and_the_last_reason()
    {
        var decision = RestartDecision.Decide(new RestartPolicy { MaxRestarts = 3 }, Fault, streak: 3);

        Assert.Equal(RestartAction.Fail, decision.Action);
        Assert.Equal("restarted 3 times; last: unhandled fault: HardFault at 0x08000134", decision.Reason);
    }

    [Theory]
    [InlineData(0.5, 0, false)]
    [InlineData(1.0, 0, true)]
    [InlineData(39, 4, false)]
    [InlineData(40, 4, true)]
    [InlineData(60, 30, true)]
    public void A_run_ten_times_as_long_as_its_backoff_or_a_minute_ends_the_streak(double ranSeconds, double backoffSeconds, bool endsStreak)
    {
        Assert.Equal(endsStreak, RestartDecision.StayedUp(TimeSpan.FromSeconds(ranSeconds), TimeSpan.FromSeconds(backoffSeconds)));
    }
}
