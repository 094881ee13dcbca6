using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using static EdgeVisor.Agent.Tests.Containers.ContainerSpecs;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>
/// Updating a container workload with the real agent process and runc: the new image is pulled first, the volume
/// survives the swap, a new image that fails its health check (the spec's or its own HEALTHCHECK) is rolled back, and an agent SIGKILLed in the
/// middle of an update converges after its restart with exactly one container and the volume intact.
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class ContainerUpdateTests(MosquittoFleetFixture fleet, ContainerImages images) : IClassFixture<ContainerImages>
{
    private const string WriteOnce = "[ -f /data/note ] || echo \"kept-from-$(cat /etc/release)\" > /data/note; echo \"$(cat /etc/release) reads $(cat /data/note)\"";

    public static TheoryData<string> UpdatePoints => new(
        FaultPoints.After(RolloutSteps.Fetch), FaultPoints.Before(RolloutSteps.StartNew), FaultPoints.After(RolloutSteps.StartNew));

    [Fact]
    public async Task An_update_to_a_new_image_keeps_the_volume()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-update");
        var (device, controller) = scenario;

        await controller.DeployAsync(Document(device.DeviceId, 1, App(images.Artifact(images.V1, "v1"))));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 1, ("app", WorkloadState.Running, images.V1.PinnedSha256)), Converge, "v1 running", scenario.Context);
        await scenario.WaitForConsoleAsync("v1 reads kept-from-v1");

        await controller.DeployAsync(Document(device.DeviceId, 2, App(images.Artifact(images.V2, "v2"))));

        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 2, ("app", WorkloadState.Running, images.V2.PinnedSha256)), Converge, "v2 running", scenario.Context);
        await scenario.WaitForConsoleAsync("v2 reads kept-from-v1");
        Assert.Single(await scenario.Host.RuncListAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_image_that_fails_its_health_check_is_rolled_back_to_the_previous_image(bool checkInImage)
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-rollback");
        var (device, controller) = scenario;
        // The same check, declared by the workload spec or by the sick image's own HEALTHCHECK (the spec then has none).
        var check = checkInImage ? null : new ContainerSpec { HealthCheck = new HealthCheckSpec { Exec = ["test", "-f", "/etc/healthy"], IntervalSeconds = 0.3, TimeoutSeconds = 1, Retries = 2 } };
        var sick = checkInImage ? images.Artifact(images.SickByItsOwnCheck, "sick-own-check") : images.Artifact(images.Sick, "sick");
        await controller.DeployAsync(Document(device.DeviceId, 1, Service("app", images.Artifact(images.V1, "v1"), "echo \"serving $(cat /etc/release)\"", container: check)));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 1, ("app", WorkloadState.Running, images.V1.PinnedSha256)), Converge, "v1 running", scenario.Context);

        await controller.DeployAsync(Document(device.DeviceId, 2, Service("app", sick, "echo \"serving $(cat /etc/release)\"", container: check)));

        var report = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => r.Version == 2 && r.Workloads is [{ State: WorkloadState.Running, Reason: { } reason }] && reason.StartsWith("rolled back", StringComparison.Ordinal), Converge, "app rolled back", scenario.Context);
        var app = report.Workloads.Single();
        Assert.Equal(images.V1.PinnedSha256, app.ArtifactSha256);
        Assert.Contains("health check", app.Reason, StringComparison.Ordinal);
        Assert.False(report.Converged);
        await controller.WaitForEventAsync(device.DeviceId, e => e.Kind == EventKinds.DeploymentApplied && e.Version == 2 && e.Severity == "warning", Converge, "version 2 applied with the rollback", scenario.Context);
        Assert.NotEmpty(device.ConsoleLines("serving sick"));
        Assert.Equal(2, device.ConsoleLines("serving v1").Count);
        Assert.Single(await scenario.Host.RuncListAsync());
    }

    [Theory]
    [MemberData(nameof(UpdatePoints))]
    public async Task Killed_during_an_update_the_restarted_agent_converges_with_one_container_and_the_volume(string point)
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-kill");
        var (device, controller) = scenario;

        // Version 1 runs; the agent is SIGKILLed (its container stays behind, as after a crash).
        await controller.DeployAsync(Document(device.DeviceId, 1, App(images.Artifact(images.V1, "v1"))));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 1, ("app", WorkloadState.Running, images.V1.PinnedSha256)), Converge, "v1 running", scenario.Context);
        await scenario.WaitForConsoleAsync("v1 reads kept-from-v1");
        scenario.Agent.Kill();

        // The next agent cleans up, runs version 1 again, and dies at the point during the update to version 2.
        AgentProcess crashing = device.StartAgent($"--{AgentOptions.Section}:{nameof(AgentOptions.KillAt)}={point}");
        await controller.DeployAsync(Document(device.DeviceId, 2, App(images.Artifact(images.V2, "v2"))));
        int? exit = await crashing.WaitForExitAsync(Converge);
        Assert.True(exit == AgentProcess.KilledExitCode, $"the agent with KillAt={point} {(exit is null ? "never reached the point" : $"exited with {exit}")}\n{scenario.Context()}");

        device.StartAgent();

        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 2, ("app", WorkloadState.Running, images.V2.PinnedSha256)), Converge, "v2 running after the restart", scenario.Context);
        await scenario.WaitForConsoleAsync("v2 reads kept-from-v1");
        var containers = await scenario.Host.RuncListAsync();
        Assert.True(containers.Count == 1, $"runc lists {containers.Count} containers after the restart ({string.Join(", ", containers)}), not one\n{scenario.Context()}");
    }

    private static WorkloadSpec App(ArtifactRef image) =>
        Service("app", image, WriteOnce, container: new ContainerSpec { Volumes = [new VolumeSpec { Name = "data", Path = "/data" }] });
}
