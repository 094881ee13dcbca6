using EdgeVisor.Protocol;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// The container driver end to end with every real part: docker-registry on loopback, the image store, the bundle
/// builder, the network (nat on a bridge of the test's own) and runc.
/// </summary>
public sealed class ContainerDriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private DriverTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await DriverTestBed.CreateAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task An_image_pulled_from_a_registry_runs_on_the_nat_network_to_completion()
    {
        await using var registry = await DockerRegistry.StartAsync();
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo pulled and running as $(hostname) at $(ip -o -4 addr show eth0 | awk '{print $4}')"] });
        await registry.PushAsync("apps/hello", "1", image);
        var spec = DriverTestBed.Spec("hello-" + _bed.Suffix, registry.Reference("apps/hello", "1"), image.PinnedSha256,
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat } });
        var driver = _bed.Driver;
        Assert.Null(driver.Validate(spec));
        Assert.False(driver.NeedsArtifactFile(spec));
        Assert.False(driver.IsPrepared(spec));

        await driver.PrepareAsync(spec, null, null, CancellationToken.None);
        Assert.True(driver.IsPrepared(spec));
        var launch = _bed.Launch(spec);
        await using var workload = await driver.StartAsync(launch, CancellationToken.None);
        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(false, 0, "exited with code 0"), exit);
        string line = Assert.Single(launch.Log.Tail(20), l => l.StartsWith("pulled and running", StringComparison.Ordinal));
        Assert.StartsWith($"pulled and running as {spec.Name} at 10.91.", line);
        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
    }

    [Fact]
    public async Task An_imported_oci_archive_runs_and_its_exit_code_is_reported()
    {
        var image = BusyboxImage.Create(configure: t => t with { Entrypoint = ["sh", "-c"], Cmd = ["echo imported; exit 3"] });
        Directory.CreateDirectory(_bed.Directory);
        string archive = Path.Combine(_bed.Directory, "app.tar");
        image.WriteOciArchive(archive, "app:1");
        var spec = DriverTestBed.Spec("imported-" + _bed.Suffix, "file://" + archive + "#app:1", DriverTestBed.Sha256Of(archive));
        var driver = _bed.Driver;
        Assert.True(driver.NeedsArtifactFile(spec));

        await driver.PrepareAsync(spec, archive, null, CancellationToken.None);
        var launch = _bed.Launch(spec);
        await using var workload = await driver.StartAsync(launch, CancellationToken.None);
        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, 3, "exited with code 3"), exit);
        Assert.Contains("imported", launch.Log.Tail(10));
        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
    }

    [Fact]
    public async Task A_start_the_runtime_refuses_throws_one_line_and_leaves_no_container_mount_or_namespace()
    {
        var image = BusyboxImage.Create(configure: t => t with { Entrypoint = ["/no/such/program"], Cmd = null });
        string url = _bed.Archive(image);
        var spec = DriverTestBed.Spec("refused-" + _bed.Suffix, url, DriverTestBed.Sha256Of(new Uri(url).LocalPath),
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat } });
        await _bed.Driver.PrepareAsync(spec, new Uri(url).LocalPath, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<WorkloadStartException>(() => _bed.Driver.StartAsync(_bed.Launch(spec), CancellationToken.None));

        string id = ContainerDriver.ContainerIdOf(spec.Name);
        Assert.StartsWith($"runc create {id}: ", error.Message);
        Assert.Contains("/no/such/program", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        await _bed.AssertNothingLeftAsync(id);
    }

    [Fact]
    public async Task After_an_agent_crash_a_new_driver_removes_the_running_containers_mounts_and_networks()
    {
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo up; sleep 600 & wait"] });
        string url = _bed.Archive(image);
        var spec = DriverTestBed.Spec("orphan-" + _bed.Suffix, url, DriverTestBed.Sha256Of(new Uri(url).LocalPath),
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat } });
        await _bed.Driver.PrepareAsync(spec, new Uri(url).LocalPath, null, CancellationToken.None);
        var launch = _bed.Launch(spec);
        var workload = await _bed.Driver.StartAsync(launch, CancellationToken.None);
        ((ContainerWorkload)workload).Forget(); // the agent crashed: nobody stops it or tears it down
        await LogWaiter.WaitForLine(launch.Log, "up", Patience);
        string id = ContainerDriver.ContainerIdOf(spec.Name);
        Assert.Contains(await _bed.Driver.Runtime.ListAsync(CancellationToken.None), c => c.Id == id);
        Assert.NotEmpty(_bed.Mounts());

        var restarted = _bed.NewDriver();
        await restarted.CleanUpAfterCrashAsync(CancellationToken.None);

        Assert.Empty(await restarted.Runtime.ListAsync(CancellationToken.None));
        Assert.Empty(_bed.Mounts());
        Assert.Empty(DriverTestBed.NetworkLeftovers(id));
        await restarted.CleanUpAfterCrashAsync(CancellationToken.None); // idempotent
        Assert.False((await workload.Exited.WaitAsync(Patience)).Requested);
    }

    [Fact]
    public async Task A_start_removes_a_container_of_the_same_workload_left_running_and_the_old_end_leaves_the_new_alone()
    {
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo up as $$; sleep 600 & wait"] });
        string url = _bed.Archive(image);
        var spec = DriverTestBed.Spec("again-" + _bed.Suffix, url, DriverTestBed.Sha256Of(new Uri(url).LocalPath),
            new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Nat }, StopGraceSeconds = 1 });
        await _bed.Driver.PrepareAsync(spec, new Uri(url).LocalPath, null, CancellationToken.None);
        var first = await _bed.Driver.StartAsync(_bed.Launch(spec), CancellationToken.None);
        ((ContainerWorkload)first).Forget(); // the agent that started it crashed: nobody tears it down

        var launch = _bed.Launch(spec);
        await using var second = await _bed.NewDriver().StartAsync(launch, CancellationToken.None);
        var firstExit = await first.Exited.WaitAsync(Patience);

        Assert.False(firstExit.Requested);
        await LogWaiter.WaitForLine(launch.Log, "up as 1", Patience);
        Assert.Null(second.CheckHealth());
        var state = await _bed.Driver.Runtime.StateAsync(ContainerDriver.ContainerIdOf(spec.Name), CancellationToken.None);
        Assert.Equal("running", state?.Status);
        Assert.NotEmpty(_bed.Mounts());
        await second.StopAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await _bed.AssertNothingLeftAsync(ContainerDriver.ContainerIdOf(spec.Name));
    }
}
