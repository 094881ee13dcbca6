using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>An update whose new version fails goes back to the version that ran, and says both things.</summary>
public sealed class RollbackTests
{
    [Fact]
    public async Task An_update_that_fails_its_health_check_rolls_back_to_the_running_version()
    {
        // A window long enough that the failing image has surely ended inside it, even on a loaded machine.
        await using var agent = ReconcilerHarness.Start(options => options.Reconcile.HealthCheckSeconds = 1.5);
        var good = TestFirmware.SensorMonitor("app");
        agent.Deploy(1, good);
        await agent.WaitForAppliedAsync(1);

        // Version 2 of "app" exits with a failure right after it starts.
        var bad = TestFirmware.FailingVerdict("app");
        agent.Deploy(2, bad);

        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DeploymentApplied).Any(e => e.Version == 2), "version 2's deployment-applied event");
        var report = await agent.WaitForReportAsync(r => r.Workloads.Single().State == WorkloadState.Running, "the old version running again");

        var workload = report.Workloads.Single();
        Assert.Equal(good.Artifact.Sha256, workload.ArtifactSha256);
        Assert.StartsWith("rolled back: ", workload.Reason, StringComparison.Ordinal);
        Assert.Contains("health check", workload.Reason, StringComparison.Ordinal);
        Assert.False(report.Converged, "the device does not run version 2 of app");
        Assert.Equal(2, report.Version);
        var failed = agent.Sink.EventsOf(EventKinds.WorkloadState).Single(e => e.Message.Contains("rolling back", StringComparison.Ordinal));
        Assert.Equal(("error", "app", 2L), (failed.Severity, failed.Workload, failed.Version!.Value));
        var applied = agent.Sink.EventsOf(EventKinds.DeploymentApplied).Single(e => e.Version == 2);
        Assert.Equal("warning", applied.Severity);
        Assert.Contains("rolled back", applied.Message, StringComparison.Ordinal);

        // Old, new, old again: the old generation's staged image runs, and the failed version is not retried.
        Assert.Equal(3, agent.Driver.StartsOf("app"));
        Assert.Equal(agent.Driver.Starts[0].ArtifactPath, agent.Driver.Starts[2].ArtifactPath);
        Assert.Equal(2, new WorkloadRecords(agent.Store).All().Single().HeldVersion);
        Assert.Empty(agent.Driver.Overlaps);
    }

    [Fact]
    public async Task An_update_whose_image_cannot_start_rolls_back_and_a_newer_version_is_tried_again()
    {
        await using var agent = ReconcilerHarness.Start();
        var good = TestFirmware.SensorMonitor("app");
        agent.Deploy(1, good);
        await agent.WaitForAppliedAsync(1);

        // A JSON file is no firmware image: the driver refuses to start it.
        var broken = good with { Artifact = TestFirmware.Local(TestFirmware.SensorWiringPath) };
        agent.Deploy(2, broken);
        var report = await agent.WaitForReportAsync(r => r.Version == 2 && r.Workloads.Single() is { State: WorkloadState.Running, Reason: not null }, "app rolled back");
        Assert.Contains("could not start", report.Workloads.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(good.Artifact.Sha256, report.Workloads.Single().ArtifactSha256);

        // Version 3 is a fixed update: applied normally, the rollback note is gone.
        var fixedUpdate = good with { Configuration = new Dictionary<string, string> { ["maxInstructions"] = "100000000000" } };
        agent.Deploy(3, fixedUpdate);
        report = await agent.WaitForAppliedAsync(3);
        Assert.Null(report.Workloads.Single().Reason);
        Assert.Equal(WorkloadState.Running, report.Workloads.Single().State);
    }

    [Fact]
    public async Task A_transient_start_failure_is_retried_with_backoff()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Driver.FailNextStarts = 2;

        agent.Deploy(1, TestFirmware.SensorMonitor("app"));
        await agent.WaitForAppliedAsync(1);

        Assert.Equal(1, agent.Driver.StartsOf("app"));
        var retries = agent.Sink.Reports
            .SelectMany(r => r.Workloads)
            .Where(w => w.State == WorkloadState.Pending && w.Reason!.StartsWith("start-new failed", StringComparison.Ordinal))
            .Select(w => w.Reason)
            .Distinct()
            .ToList();
        Assert.Equal(2, retries.Count);
        Assert.Contains("(attempt 2)", retries[1], StringComparison.Ordinal);
        var entry = new ReconcileJournal(agent.Store, TimeProvider.System).Find(1, "app", "start-new")!;
        Assert.Equal((JournalStatus.Done, 3), (entry.Status, entry.Attempt));
    }
}
