using System.Security.Cryptography;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Tests.Containers.Registry;
using static EdgeVisor.Agent.Tests.Containers.ContainerSpecs;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>
/// Container workloads through the real agent process: signed desired state over mosquitto, images from a
/// docker-registry on loopback or from tarballs on disk, runc as the runtime. What a controller sees: reports,
/// events, console lines on the logs topic, resource figures.
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class ContainerDeploymentTests(MosquittoFleetFixture fleet, ContainerImages images) : IClassFixture<ContainerImages>
{
    [Fact]
    public async Task A_container_from_the_registry_runs_its_output_reaches_the_logs_topic_and_its_resources_are_reported()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-deploy", watchLogsAndTelemetry: true, "--Agent:TelemetrySeconds=1");
        var (device, controller) = scenario;
        var web = Service("web", images.Artifact(images.V1, "v1"), "echo \"hello from $(cat /etc/release)\"; echo pid $$");

        await controller.DeployAsync(Document(device.DeviceId, 1, web));

        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 1, ("web", WorkloadState.Running, images.V1.PinnedSha256)), Converge, "web running", scenario.Context);
        await controller.Messages.WaitForAsync(_ => controller.LogLines(device.DeviceId, "web").Contains("hello from v1") ? "" : null, Converge, "web's first line on the logs topic", scenario.Context);
        Assert.Contains("pid 1", controller.LogLines(device.DeviceId, "web"));
        var report = await controller.WaitForReportedAsync(device.DeviceId, r => r.Workloads is [{ Resources: not null }], Converge, "web's resources", scenario.Context);
        var resources = report.Workloads.Single().Resources!;
        Assert.True(resources.Pids >= 1 && resources.MemoryBytes > 0, $"implausible resources {resources}");
        var sample = await controller.Messages.WaitForAsync(
            _ => controller.Telemetry(device.DeviceId, "agent").LastOrDefault(t => t.Values.ContainsKey("workload.web.memoryBytes")), Converge, "web's figures in the agent telemetry", scenario.Context);
        Assert.True(sample.Values["workload.web.pids"] >= 1);
        Assert.Single(await scenario.Host.RuncListAsync());
    }

    [Fact]
    public async Task Run_to_completion_containers_report_their_exit_code_and_a_crashing_service_is_restarted_by_its_policy()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-exit");
        var (device, controller) = scenario;
        var image = images.Artifact(images.V1, "v1");
        var done = Job("done", image, "echo job-finished; exit 0");
        var broken = Job("broken", image, "echo job-failing; exit 3");
        var crashing = Job("crashing", image, "echo crash-marker; sleep 0.2; exit 2", new RestartPolicy { Mode = RestartModes.OnFailure, BackoffSeconds = 0.1, MaxBackoffSeconds = 0.2, MaxRestarts = 2 });

        await controller.DeployAsync(Document(device.DeviceId, 1, done, broken, crashing));

        var report = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => r.Workloads.Count == 3 && r.Workloads.All(w => w.State is WorkloadState.Stopped or WorkloadState.Failed), Converge, "all three ended", scenario.Context);
        var byName = report.Workloads.ToDictionary(w => w.Name);
        Assert.True(byName["done"].State == WorkloadState.Stopped, $"done: {byName["done"]}\n{scenario.Context()}");
        Assert.Equal(WorkloadState.Failed, byName["broken"].State);
        Assert.Contains("3", byName["broken"].Reason, StringComparison.Ordinal);
        Assert.Equal(WorkloadState.Failed, byName["crashing"].State);
        Assert.Equal(2, byName["crashing"].Restarts);
        Assert.StartsWith("restarted 2 times", byName["crashing"].Reason, StringComparison.Ordinal);
        Assert.Equal(2, controller.Events(device.DeviceId).Count(e => e.Kind == EventKinds.WorkloadRestarted && e.Workload == "crashing"));
        Assert.Equal(3, device.ConsoleLines("crash-marker").Count);
        Assert.Single(device.ConsoleLines("job-finished"));
        Assert.Empty(await scenario.Host.RuncListAsync());
    }

    [Fact]
    public async Task The_memory_limit_and_the_read_only_root_file_system_are_enforced_and_reported()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-limits");
        var (device, controller) = scenario;
        var image = images.Artifact(images.V1, "v1");
        // The shell doubles a string until the 8 MiB cgroup limit stops it.
        var hog = Job("hog", image, "echo hog-start; x=0123456789abcdef; while true; do x=$x$x; done",
            container: new ContainerSpec { Limits = new ContainerLimits { MemoryBytes = 8L * 1024 * 1024 } });
        var sealedFs = Job("sealed", image, "touch /probe && echo rootfs-writable; ls /probe; echo tmp-ok > /tmp/x && cat /tmp/x; touch /probe",
            container: new ContainerSpec { ReadOnlyRootfs = true, Tmpfs = ["/tmp"] });

        await controller.DeployAsync(Document(device.DeviceId, 1, hog, sealedFs));

        var report = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => r.Workloads.Count == 2 && r.Workloads.All(w => w.State == WorkloadState.Failed), Converge, "both failed", scenario.Context);
        var byName = report.Workloads.ToDictionary(w => w.Name);
        string hogReason = byName["hog"].Reason ?? "";
        Assert.True(hogReason.Contains("OOM", StringComparison.OrdinalIgnoreCase) || hogReason.Contains("out of memory", StringComparison.OrdinalIgnoreCase),
            $"the hog's reason does not name the OOM kill: {hogReason}\n{scenario.Context()}");
        Assert.True(device.ConsoleLines("Read-only file system").Count > 0, $"sealed: {byName["sealed"]}, its console: {string.Join(" | ", device.ConsoleLines(""))}\n{scenario.Context()}");
        Assert.Empty(device.ConsoleLines("rootfs-writable"));
        Assert.Single(device.ConsoleLines("tmp-ok"));
        Assert.Contains("1", byName["sealed"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offline_device_imports_oci_archive_and_docker_save_tarballs_from_files()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-offline");
        var (device, controller) = scenario;
        string ociArchive = Path.Combine(device.Directory, "app-v1.oci.tar");
        string dockerSave = Path.Combine(device.Directory, "app-v2.docker.tar");
        images.V1.WriteOciArchive(ociArchive, "v1");
        images.V2.WriteDockerSave(dockerSave, "edgevisor-e2e/app:v2");
        var fromOci = Service("from-oci", Tarball(ociArchive), "echo \"oci-archive runs $(cat /etc/release)\"");
        var fromDocker = Service("from-docker", Tarball(dockerSave), "echo \"docker-save runs $(cat /etc/release)\"");

        await controller.DeployAsync(Document(device.DeviceId, 1, fromOci, fromDocker));

        await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => r.Version == 1 && r.Converged && r.Workloads.Count == 2 && r.Workloads.All(w => w.State == WorkloadState.Running), Converge, "both running", scenario.Context);
        await scenario.WaitForConsoleAsync("oci-archive runs v1");
        await scenario.WaitForConsoleAsync("docker-save runs v2");
        Assert.Equal(2, (await scenario.Host.RuncListAsync()).Count);
    }

    [Fact]
    public async Task A_registry_that_goes_away_mid_pull_is_retried_and_the_container_then_runs()
    {
        await using var scenario = await ContainerScenario.StartAsync(fleet, "ctr-cut");
        var (device, controller) = scenario;
        // The proxy cuts the connection 64 KiB into the first response that large: the busybox layer.
        await using var proxy = new CuttingProxy(images.Registry.Host, cutAfterBytes: 64 * 1024);
        var web = Service("web", images.Artifact(images.V2, "v2", proxy.Host), "echo \"pulled through a cut: $(cat /etc/release)\"");

        await controller.DeployAsync(Document(device.DeviceId, 1, web));

        await controller.WaitForLatestReportedAsync(device.DeviceId, r => IsConverged(r, 1, ("web", WorkloadState.Running, images.V2.PinnedSha256)), Converge, "web running", scenario.Context);
        await scenario.WaitForConsoleAsync("pulled through a cut: v2");
        Assert.Equal(1, proxy.Cuts);
        bool retried = proxy.RangeRequests > 0
            || controller.Reports(device.DeviceId).Any(r => r.Workloads is [{ State: WorkloadState.Pending, Reason: { } reason }] && reason.Contains("retrying", StringComparison.Ordinal));
        Assert.True(retried, $"the cut pull was neither resumed (Range) nor retried by the agent\n{scenario.Context()}");
    }

    private static ArtifactRef Tarball(string path) => new()
    {
        Url = new Uri(path).AbsoluteUri,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
    };
}
