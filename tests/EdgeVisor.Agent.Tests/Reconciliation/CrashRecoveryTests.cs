using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// The agent stops dead at every fault point of a deploy and of an update (the in-process stand-in for the
/// SIGKILL the end-to-end tests use) and starts again on the same state: it converges, with one record and one
/// running instance per workload.
/// </summary>
public sealed class CrashRecoveryTests
{
    public static TheoryData<string> Points => new(FaultPoints.All);

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_deploy_interrupted_at_any_point_converges_after_a_restart(string point)
    {
        var spec = TestFirmware.SensorMonitor("app");
        var crashed = ReconcilerHarness.Start(Fast, crashAt: point);
        await using var _ = crashed;
        crashed.Deploy(1, spec);
        Assert.Equal(point, await crashed.Crashed.WaitAsync(TimeSpan.FromSeconds(15)));

        await using var agent = await crashed.ReopenAsync(Fast);
        var report = await agent.WaitForAppliedAsync(1);

        AssertRunsOnce(crashed, agent, report, spec);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public async Task An_update_interrupted_at_any_point_converges_to_the_new_version_after_a_restart(string point)
    {
        var old = TestFirmware.SensorMonitor("app");
        var blink = TestFirmware.Local(Path.Combine(Path.GetDirectoryName(TestFirmware.SensorMonitorPath)!, "blink.elf"));
        var updated = old with { Artifact = blink };
        var crashed = ReconcilerHarness.Start(Fast);
        await using var _ = crashed;
        crashed.Deploy(1, old);
        await crashed.WaitForAppliedAsync(1);
        crashed.CrashAt(point);
        crashed.Deploy(2, updated);
        Assert.Equal(point, await crashed.Crashed.WaitAsync(TimeSpan.FromSeconds(15)));

        await using var agent = await crashed.ReopenAsync(Fast);
        var report = await agent.WaitForAppliedAsync(2);

        AssertRunsOnce(crashed, agent, report, updated);
        Assert.Null(report.Workloads.Single().Reason);
    }

    private static void Fast(AgentOptions options) => options.Reconcile.HealthCheckSeconds = 0.15;

    private static void AssertRunsOnce(ReconcilerHarness crashed, ReconcilerHarness agent, ReportedState report, WorkloadSpec desired)
    {
        var workload = Assert.Single(report.Workloads);
        Assert.Equal((WorkloadState.Running, desired.Artifact.Sha256), (workload.State, workload.ArtifactSha256));
        var record = Assert.Single(new WorkloadRecords(agent.Store).All());
        Assert.Null(record.Target);
        Assert.Equal(desired.Artifact.Sha256, record.Active!.ArtifactSha256);

        // Exactly one machine runs it (the crashed agent's died with it), and the one that runs is the desired image.
        Assert.Empty(crashed.Driver.Live);
        var live = Assert.Single(agent.Driver.Live);
        Assert.Equal(desired.Artifact.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(live.ArtifactPath))));
        Assert.Empty(agent.Driver.Overlaps);
        Assert.Equal(agent.Driver.Starts.Count, agent.Driver.Starts.Select(s => s.Workload).Distinct().Count());
    }
}
