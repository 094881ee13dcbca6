using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// The agent is SIGKILLed at every reconcile fault point (<see cref="FaultPoints.All"/>, <c>--Agent:KillAt</c>) and
/// started again without it: it converges to the desired state, runs the workload once (one entry in the report,
/// one firmware start after the restart), and no report is lost (the retained reported state is the final one,
/// the event numbers have no gap across both processes).
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class CrashRecoveryTests(MosquittoFleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Points => new(FaultPoints.All);

    [Theory]
    [MemberData(nameof(Points))]
    public async Task Killed_at_a_fault_point_the_restarted_agent_converges_with_one_workload_and_every_report(string point)
    {
        using TestDevice device = fleet.NewDevice("e2e-crash-" + point);
        await using TestController controller = await TestController.ConnectAsync(fleet.Endpoint, fleet.SigningKey);
        await controller.WatchAsync(device.DeviceId);
        string Context() => device.Describe() + "\n" + fleet.Broker.Describe();
        SensorMonitorDeployments deployments = fleet.Deployments;

        AgentProcess crashing = device.StartAgent($"--{AgentOptions.Section}:{nameof(AgentOptions.KillAt)}={point}");
        await controller.DeployAsync(deployments.Running(device.DeviceId, 1));
        (long version, Protocol.ArtifactRef image) = (1, deployments.Image);

        // A first deployment may not pass every point (nothing old to stop): if version 1 converges, an update to
        // another image must pass it. Either way the process has to die by its own SIGKILL.
        int? exit = null;
        var deadline = DateTimeOffset.UtcNow + Converge;
        while (exit is null && DateTimeOffset.UtcNow < deadline)
        {
            exit = await crashing.WaitForExitAsync(TimeSpan.FromMilliseconds(100));
            if (exit is null && version == 1 && controller.Reports(device.DeviceId) is [.., var latest] && SensorMonitorDeployments.RunsConverged(latest, 1, deployments.Image))
            {
                (version, image) = (2, deployments.ImageV2);
                await controller.DeployAsync(deployments.Running(device.DeviceId, 2, deployments.ImageV2));
            }
        }

        Assert.True(exit == AgentProcess.KilledExitCode,
            $"the agent with KillAt={point} {(exit is null ? "never reached the point" : $"exited with {exit}, not by SIGKILL")} (deployed up to version {version})\n{Context()}");
        int startsBeforeRestart = device.ConsoleLines(SensorMonitorDeployments.StartedLine).Count;

        AgentProcess recovered = device.StartAgent();

        ReportedState converged = await controller.WaitForLatestReportedAsync(device.DeviceId, r => SensorMonitorDeployments.RunsConverged(r, version, image),
            Converge, $"version {version} running after the restart", Context);
        Assert.Single(converged.Workloads);
        await DeploymentTests.WaitForConsoleAsync(device, lines => lines.Count(l => l.Contains(SensorMonitorDeployments.StartedLine, StringComparison.Ordinal)) > startsBeforeRestart,
            "the firmware's start after the restart");

        ReportedState? retained = await controller.FetchRetainedReportedAsync(device.DeviceId, TimeSpan.FromSeconds(5));
        Assert.True(retained is not null && SensorMonitorDeployments.RunsConverged(retained, version, image),
            $"the retained reported state is not the converged one: {retained}\n{Context()}");
        EventSequence.AssertNoGaps(controller.Events(device.DeviceId), Context);
        Assert.Contains(controller.Events(device.DeviceId), e => e.Kind == EventKinds.DeploymentApplied && e.Version == version);

        recovered.Kill();
        int startsAfterRestart = device.ConsoleLines(SensorMonitorDeployments.StartedLine).Count - startsBeforeRestart;
        Assert.True(startsAfterRestart == 1, $"the firmware started {startsAfterRestart} times after the restart (a duplicate machine, or a restart)\n{Context()}");
    }
}
