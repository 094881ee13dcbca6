using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>Artifacts over HTTP: transient errors are retried with backoff, permanent ones are not, and a slow download never holds up the agent's start.</summary>
public sealed class FetchTests
{
    [Fact]
    public async Task A_transient_download_error_is_retried_with_backoff_until_it_works()
    {
        await using var server = new ArtifactHttpServer(TestFirmware.SensorMonitorPath, failFirst: 2);
        await using var agent = ReconcilerHarness.Start();
        var spec = TestFirmware.SensorMonitor("sensor", artifact: TestFirmware.Local(TestFirmware.SensorMonitorPath) with { Url = server.Url });

        agent.Deploy(1, spec);
        var report = await agent.WaitForAppliedAsync(1);

        Assert.Equal(WorkloadState.Running, report.Workloads.Single().State);
        Assert.Equal(3, server.Requests);
        var retries = agent.Sink.Reports.SelectMany(r => r.Workloads).Where(w => w.State == WorkloadState.Pending && w.Reason!.StartsWith("fetch failed", StringComparison.Ordinal)).Select(w => w.Reason).Distinct().ToList();
        Assert.Equal(2, retries.Count);
        var entry = new ReconcileJournal(agent.Store, TimeProvider.System).Find(1, "sensor", "fetch")!;
        Assert.Equal((JournalStatus.Done, 3), (entry.Status, entry.Attempt));
    }

    [Fact]
    public async Task A_permanent_download_error_fails_the_workload_without_retrying()
    {
        await using var server = new ArtifactHttpServer(TestFirmware.SensorMonitorPath, notFound: true);
        await using var agent = ReconcilerHarness.Start();
        var spec = TestFirmware.SensorMonitor("sensor", artifact: TestFirmware.Local(TestFirmware.SensorMonitorPath) with { Url = server.Url });

        agent.Deploy(1, spec);
        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DeploymentApplied).Any(), "the deployment to end");

        var workload = agent.Reconciler.Current.Workloads.Single();
        Assert.Equal(WorkloadState.Failed, workload.State);
        Assert.StartsWith("fetch: ", workload.Reason, StringComparison.Ordinal);
        Assert.Equal("warning", agent.Sink.EventsOf(EventKinds.DeploymentApplied).Single().Severity);
        Assert.Equal(1, new ReconcileJournal(agent.Store, TimeProvider.System).Find(1, "sensor", "fetch")!.Attempt);
        Assert.Empty(agent.Driver.Starts);
    }

    [Fact]
    public async Task A_download_waiting_on_the_network_does_not_hold_up_the_first_pass_after_a_restart()
    {
        // Another image than the local workload's: the same digest would already be in the store.
        string blink = Path.Combine(Path.GetDirectoryName(TestFirmware.SensorMonitorPath)!, "blink.elf");
        await using var server = new ArtifactHttpServer(blink, hold: true);
        var spec = TestFirmware.SensorMonitor("sensor", artifact: TestFirmware.Local(blink) with { Url = server.Url });
        var first = ReconcilerHarness.Start();
        await using var _ = first;
        first.Deploy(1, TestFirmware.SensorMonitor("local"), spec);
        await first.WaitUntilAsync(() => server.Requests >= 1, "the download to start");

        await using var agent = await first.ReopenAsync();

        // The local workload runs and the agent is ready while the download still waits on the server.
        await agent.Reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WorkloadState.Downloading, agent.Reconciler.Current.Workloads.Single(w => w.Name == "sensor").State);
        server.Release();
        var report = await agent.WaitForAppliedAsync(1);
        Assert.All(report.Workloads, w => Assert.Equal(WorkloadState.Running, w.State));
    }
}
