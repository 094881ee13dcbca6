using EdgeVisor.Protocol;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// The runtime is a choice (Agent:Containers:Runtime): the container driver end to end on Debian's crun instead of
/// runc — the same bundle, CLI verbs, exit observation, cgroup figures, stop and crash clean-up.
/// </summary>
public sealed class CrunDriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private DriverTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await DriverTestBed.CreateAsync(CrunRuntime.Prepare);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_nat_container_on_crun_runs_to_completion_with_its_output_and_exit_code_and_leaves_nothing()
    {
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo crun runs $(hostname) at $(ip -o -4 addr show eth0 | awk '{print $4}'); exit 3"] });
        var spec = await _bed.PrepareAsync("crun-" + _bed.Suffix, image,
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat } });
        var launch = _bed.Launch(spec);

        await using var workload = await _bed.Driver.StartAsync(launch, CancellationToken.None);
        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, 3, "exited with code 3"), exit);
        string line = Assert.Single(launch.Log.Tail(20), l => l.StartsWith("crun runs", StringComparison.Ordinal));
        Assert.StartsWith($"crun runs {spec.Name} at 10.91.", line);
        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
    }

    [Fact]
    public async Task A_service_on_crun_reports_figures_from_its_cgroups_and_stops_on_SIGTERM()
    {
        const long limit = 48L * 1024 * 1024;
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; sleep 600 & echo serving; wait"] });
        var spec = await _bed.PrepareAsync("crun-svc-" + _bed.Suffix, image,
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, Limits = new ContainerLimits { MemoryBytes = limit } });
        var launch = _bed.Launch(spec);
        await using var workload = await _bed.Driver.StartAsync(launch, CancellationToken.None);
        await LogWaiter.WaitForLine(launch.Log, "serving", Patience);

        var figures = workload.ReadResources();
        var state = await _bed.Driver.Runtime.StateAsync(ContainerDriver.ContainerIdOf(spec.Name), CancellationToken.None);
        await workload.StopAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("running", state?.Status);
        Assert.NotNull(figures);
        Assert.Equal(limit, figures.MemoryLimitBytes);
        Assert.True(figures.MemoryBytes > 0, $"MemoryBytes = {figures.MemoryBytes}");
        Assert.Equal(2, figures.Pids); // sh and sleep (forked before the line the test waits for)
        Assert.Equal(new WorkloadExit(false, 0, "stopped: exited with code 0", Requested: true), await workload.Exited);
        Assert.Contains("got TERM", launch.Log.Tail(10));
        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
    }

    [Fact]
    public async Task After_an_agent_crash_a_new_driver_removes_what_crun_still_runs()
    {
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo up; sleep 600 & wait"] });
        var spec = await _bed.PrepareAsync("crun-orphan-" + _bed.Suffix, image,
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat } });
        var launch = _bed.Launch(spec);
        var workload = await _bed.Driver.StartAsync(launch, CancellationToken.None);
        ((ContainerWorkload)workload).Forget(); // the agent crashed: nobody stops it or tears it down
        await LogWaiter.WaitForLine(launch.Log, "up", Patience);
        Assert.Contains(await _bed.Driver.Runtime.ListAsync(CancellationToken.None), c => c.Id == ContainerDriver.ContainerIdOf(spec.Name));

        await _bed.NewDriver().CleanUpAfterCrashAsync(CancellationToken.None);

        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
        Assert.False((await workload.Exited.WaitAsync(Patience)).Requested);
    }
}
