using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>Deploy, update, remove: what a desired document does to the workloads and what the device reports.</summary>
public sealed class DeployTests
{
    [Fact]
    public async Task A_deployment_runs_its_workload_and_reports_it_running_with_its_console()
    {
        await using var agent = ReconcilerHarness.Start();
        await agent.Reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(10));
        var spec = TestFirmware.SensorMonitor("sensor");

        agent.Deploy(1, spec);

        var report = await agent.WaitForAppliedAsync(1);
        var workload = Assert.Single(report.Workloads);
        Assert.Equal(("sensor", WorkloadState.Running, spec.Artifact.Sha256), (workload.Name, workload.State, workload.ArtifactSha256));
        Assert.Equal(("test-deployment", ReconcilerHarness.DeviceId), (report.DeploymentId, report.DeviceId));
        Assert.False(string.IsNullOrEmpty(report.AgentVersion));
        Assert.Equal(report, agent.Reconciler.Current);
        Assert.Single(agent.Sink.EventsOf(EventKinds.DeploymentAccepted));

        // The console streams to the sink line by line and is kept as the workload's log.
        await agent.WaitUntilAsync(() => agent.Sink.LinesOf("sensor").Any(l => l.Contains("tick", StringComparison.Ordinal)), "a tick line from sensor-monitor");
        var logs = agent.Reconciler.Logs("sensor", 50);
        Assert.NotNull(logs);
        Assert.Contains(logs, l => l.StartsWith("sensor-monitor:", StringComparison.Ordinal));
        Assert.Null(agent.Reconciler.Logs("no-such-workload", 10));

        // The staged generation holds its own copy of what it runs; data and logs sit beside it.
        string root = Path.Combine(agent.StateDirectory, "workloads", "sensor");
        Assert.True(File.Exists(Path.Combine(root, "1", "image.elf")), "generation 1 is staged");
        Assert.True(File.Exists(Path.Combine(root, "logs", "console.log")), "the console log file exists");
        Assert.True(agent.Reconciler.LastLoop > DateTimeOffset.UtcNow.AddSeconds(-10), "the loop's heartbeat is fresh");
    }

    [Fact]
    public async Task Updating_one_of_two_workloads_restarts_only_that_one()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Deploy(1, TestFirmware.SensorMonitor("a"), TestFirmware.SensorMonitor("b"));
        await agent.WaitForAppliedAsync(1);
        var firstOfA = agent.Driver.Starts.Single(s => s.Name == "a").Workload;

        // Same image, a different setting: a new spec for b only.
        var changed = TestFirmware.SensorMonitor("b", new Dictionary<string, string> { ["maxInstructions"] = "100000000000" });
        agent.Deploy(2, TestFirmware.SensorMonitor("a"), changed);
        var report = await agent.WaitForAppliedAsync(2);

        Assert.Equal(1, agent.Driver.StartsOf("a"));
        Assert.Equal(2, agent.Driver.StartsOf("b"));
        Assert.False(firstOfA.Exited.IsCompleted, "a kept running through b's update");
        Assert.Equal(["b"], agent.Driver.Stops);
        Assert.All(report.Workloads, w => Assert.Equal(WorkloadState.Running, w.State));
        Assert.Equal(["a", "b"], report.Workloads.Select(w => w.Name));
        Assert.True(Directory.Exists(Path.Combine(agent.StateDirectory, "workloads", "b", "2")), "b's new generation is staged");
        Assert.Empty(agent.Driver.Overlaps);
    }

    [Fact]
    public async Task After_each_update_only_the_running_and_the_rollback_generation_stay_staged()
    {
        await using var agent = ReconcilerHarness.Start();
        for (int version = 1; version <= 3; version++)
        {
            var settings = new Dictionary<string, string> { ["maxInstructions"] = $"{version}00000000000" };
            agent.Deploy(version, TestFirmware.SensorMonitor("app", settings));
            await agent.WaitForAppliedAsync(version);
        }

        string root = Path.Combine(agent.StateDirectory, "workloads", "app");
        string[] generations = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Order().ToArray()!;
        Assert.Equal(["2", "3"], generations);
        Assert.True(Directory.Exists(Path.Combine(root, "data")), "the data directory is kept across updates");
        Assert.True(agent.Artifacts.TryGetPath(TestFirmware.Local(TestFirmware.SensorMonitorPath).Sha256, out _), "the running image stays in the artifact store");
        Assert.Equal(3, agent.Driver.StartsOf("app"));
    }

    [Fact]
    public async Task Removing_a_workload_stops_it_forgets_its_record_and_leaves_the_others_running()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Deploy(1, TestFirmware.SensorMonitor("a"), TestFirmware.SensorMonitor("b"));
        await agent.WaitForAppliedAsync(1);

        agent.Deploy(2, TestFirmware.SensorMonitor("a"));
        var report = await agent.WaitForAppliedAsync(2);

        Assert.Equal(["a"], report.Workloads.Select(w => w.Name));
        Assert.Equal(["b"], agent.Driver.Stops);
        Assert.Equal(["a"], new WorkloadRecords(agent.Store).All().Select(r => r.Name));
        Assert.False(Directory.Exists(Path.Combine(agent.StateDirectory, "workloads", "b", "1")), "b's generation directory is deleted");
        Assert.Single(agent.Driver.Live);

        // An empty list removes everything.
        agent.Deploy(3);
        report = await agent.WaitForAppliedAsync(3);
        Assert.Empty(report.Workloads);
        Assert.Empty(agent.Driver.Live);
    }

    [Fact]
    public async Task The_same_retained_message_again_is_ignored_and_an_empty_one_changes_nothing()
    {
        await using var agent = ReconcilerHarness.Start();
        byte[] message = agent.Deploy(1, TestFirmware.SensorMonitor("sensor"));
        await agent.WaitForAppliedAsync(1);
        int events = agent.Sink.Events.Count;

        // A reconnect re-delivers the retained document: not news, not a replay.
        agent.Reconciler.SubmitDesired(message);
        agent.Reconciler.SubmitDesired(ReadOnlyMemory<byte>.Empty);
        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DesiredCleared).Count == 1, "the desired-cleared event");

        Assert.Equal(events + 1, agent.Sink.Events.Count);
        Assert.Empty(agent.Sink.EventsOf(EventKinds.DeploymentRejected));
        Assert.Null(agent.Reconciler.Current.LastRejection);
        Assert.Equal(1, agent.Driver.StartsOf("sensor"));
        Assert.Equal(1, agent.Reconciler.Current.Version);
        Assert.Equal(WorkloadState.Running, agent.Reconciler.Current.Workloads.Single().State);
    }

    [Fact]
    public async Task Restart_on_request_starts_the_same_generation_again_and_names_unknown_workloads()
    {
        await using var agent = ReconcilerHarness.Start();
        agent.Deploy(1, TestFirmware.SensorMonitor("sensor"));
        await agent.WaitForAppliedAsync(1);

        string? error = await agent.Reconciler.RestartWorkloadAsync("sensor", CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(2, agent.Driver.StartsOf("sensor"));
        Assert.Equal(agent.Driver.Starts[0].ArtifactPath, agent.Driver.Starts[1].ArtifactPath);
        await agent.WaitForReportAsync(r => r.Workloads.Single().State == WorkloadState.Running, "running again after the restart");
        Assert.Equal(0, agent.Reconciler.Current.Workloads.Single().Restarts);
        Assert.Contains(agent.Sink.EventsOf(EventKinds.WorkloadRestarted), e => e.Message.Contains("on request", StringComparison.Ordinal));
        Assert.Equal("no workload named 'ghost' on this device", await agent.Reconciler.RestartWorkloadAsync("ghost", CancellationToken.None));
        Assert.Empty(agent.Driver.Overlaps);
    }

    [Fact]
    public async Task Stopping_the_agent_stops_workloads_in_reverse_order_and_the_next_start_runs_them_again()
    {
        var agent = ReconcilerHarness.Start();
        await using var _ = agent;
        agent.Deploy(1, TestFirmware.SensorMonitor("first"), TestFirmware.SensorMonitor("second"), TestFirmware.SensorMonitor("third"));
        await agent.WaitForAppliedAsync(1);

        await agent.Reconciler.StopWorkloadsAsync(CancellationToken.None);

        Assert.Equal(["third", "second", "first"], agent.Driver.Stops);
        Assert.Empty(agent.Driver.Live);
        Assert.All(new WorkloadRecords(agent.Store).All(), r => Assert.Equal(WorkloadState.Running, r.State));

        await using var restarted = await agent.ReopenAsync();
        await restarted.Reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second", "third"], restarted.Driver.Starts.Select(s => s.Name));
        var report = await restarted.WaitForReportAsync(r => r.Workloads.All(w => w.State == WorkloadState.Running), "all three running after the restart");
        Assert.True(report.Converged);
    }
}
