using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>Workloads that end on their own: restarted, stopped or failed as their restart policy says.</summary>
public sealed class RestartPolicyTests
{
    private static readonly RestartPolicy Fast = new() { BackoffSeconds = 0.05, MaxBackoffSeconds = 0.2 };

    [Fact]
    public async Task On_failure_restarts_a_failing_firmware_with_backoff_until_the_limit_then_leaves_it_failed()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Deploy(1, TestFirmware.FailingVerdict("checks", Fast with { Mode = RestartModes.OnFailure, MaxRestarts = 2 }));

        var report = await agent.WaitForReportAsync(r => r.Workloads.SingleOrDefault()?.State == WorkloadState.Failed, "the workload failed after its restarts");

        var workload = report.Workloads.Single();
        Assert.Equal(2, workload.Restarts);
        Assert.StartsWith("restarted 2 times; last: ", workload.Reason, StringComparison.Ordinal);
        Assert.Equal(3, agent.Driver.StartsOf("checks"));
        Assert.Equal(2, agent.Sink.EventsOf(EventKinds.WorkloadRestarted).Count);
        Assert.Contains(agent.Sink.Reports, r => r.Workloads.Any(w => w.State == WorkloadState.Pending && w.Reason!.StartsWith("restarting in", StringComparison.Ordinal)));
        Assert.False(report.Converged);

        // Its console is kept: the FAIL verdict of each run is in the log.
        var logs = agent.Reconciler.Logs("checks", 200)!;
        Assert.Equal(3, logs.Count(l => l.StartsWith("FAIL 1/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Never_leaves_a_failed_run_failed_and_a_clean_exit_stopped_without_restarting()
    {
        await using var agent = ReconcilerHarness.Start();
        var never = Fast with { Mode = RestartModes.Never };
        agent.Deploy(1, TestFirmware.FailingVerdict("checks", never), TestFirmware.Hello("greeter", never));

        var report = await agent.WaitForReportAsync(
            r => r.Workloads.Count == 2 && r.Workloads.All(w => w.State is WorkloadState.Failed or WorkloadState.Stopped),
            "both workloads ended");

        Assert.Equal(WorkloadState.Failed, report.Workloads.Single(w => w.Name == "checks").State);
        Assert.False(string.IsNullOrEmpty(report.Workloads.Single(w => w.Name == "checks").Reason));
        Assert.Equal(WorkloadState.Stopped, report.Workloads.Single(w => w.Name == "greeter").State);
        Assert.Equal(1, agent.Driver.StartsOf("checks"));
        Assert.Equal(1, agent.Driver.StartsOf("greeter"));
        Assert.Empty(agent.Sink.EventsOf(EventKinds.WorkloadRestarted));
    }

    [Fact]
    public async Task On_failure_leaves_a_clean_exit_stopped_and_its_log_stays_readable_after_an_agent_restart()
    {
        var agent = ReconcilerHarness.Start();
        await using var _ = agent;
        agent.Deploy(1, TestFirmware.Hello("greeter", Fast));
        var report = await agent.WaitForReportAsync(r => r.Workloads.SingleOrDefault()?.State == WorkloadState.Stopped, "the greeter stopped");
        Assert.Equal(0, report.Workloads.Single().Restarts);
        Assert.True(report.Converged, "a run-to-completion workload that finished cleanly is where it should be");
        var lines = agent.Reconciler.Logs("greeter", 10)!;
        Assert.NotEmpty(lines);

        await using var restarted = await agent.ReopenAsync();
        await restarted.Reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(10));

        // A finished workload is not run again by an agent start; its log is read from the files.
        Assert.Empty(restarted.Driver.Starts);
        Assert.Equal(lines, restarted.Reconciler.Logs("greeter", 10));
    }

    [Fact]
    public async Task Always_restarts_even_after_a_clean_exit_and_counts_the_restarts()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Deploy(1, TestFirmware.Hello("greeter", Fast with { Mode = RestartModes.Always, MaxRestarts = 3 }));

        var report = await agent.WaitForReportAsync(r => r.Workloads.SingleOrDefault()?.State == WorkloadState.Failed, "the restart limit reached");

        Assert.Equal(3, report.Workloads.Single().Restarts);
        Assert.Equal(4, agent.Driver.StartsOf("greeter"));
        Assert.StartsWith("restarted 3 times; last: ", report.Workloads.Single().Reason, StringComparison.Ordinal);
    }
}
