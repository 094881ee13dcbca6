using System.Diagnostics;
using EdgeVisor.Protocol;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Runtime;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// What an image declares for its containers, honoured by the driver with runc: its HEALTHCHECK runs when the spec
/// has none, and its VOLUMEs get directories of the workload's own, seeded from the image and kept across updates.
/// </summary>
public sealed class ImageDeclarationsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private DriverTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await DriverTestBed.CreateAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task The_images_healthcheck_runs_when_the_spec_has_none_and_turns_the_container_unhealthy()
    {
        var image = BusyboxImage.Create(configure: t => t with
        {
            Cmd = ["sh", "-c", "echo up; sleep 600 & wait"],
            Healthcheck = new ImageHealthcheck { Test = ["CMD", "test", "-f", "/no/such/file"], Interval = 200_000_000, Timeout = 5_000_000_000, Retries = 2 },
        });
        var spec = await _bed.PrepareAsync("imagehealth-" + _bed.Suffix, image, new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, StopGraceSeconds = 1 });

        await using var workload = await _bed.Driver.StartAsync(_bed.Launch(spec), CancellationToken.None);

        Assert.Equal(["test", "-f", "/no/such/file"], workload.HealthCheck?.Exec);
        Assert.Equal((0.2, 2), (workload.HealthCheck!.IntervalSeconds, workload.HealthCheck.Retries));
        var deadline = Stopwatch.StartNew();
        while (workload.CheckHealth() is null && deadline.Elapsed < Patience)
        {
            await Task.Delay(100);
        }

        Assert.StartsWith("health check failed 2 times: 'test -f /no/such/file' exited with code 1", workload.CheckHealth());
    }

    [Fact]
    public async Task A_malformed_healthcheck_fails_the_prepare_for_good_naming_the_image_and_the_field()
    {
        var image = BusyboxImage.Create(configure: t => t with { Healthcheck = new ImageHealthcheck { Test = ["CMD-SHELL", "true"], Retries = -1 } });

        var error = await Assert.ThrowsAsync<ArtifactException>(() => _bed.PrepareAsync("badhealth-" + _bed.Suffix, image));

        Assert.True(error.Permanent);
        Assert.Matches(@"^image file:///\S+\.tar: config\.Healthcheck\.Retries: -1 is negative$", error.Message);
    }

    [Fact]
    public async Task An_image_volume_is_seeded_from_the_image_writable_under_a_read_only_root_and_kept_across_an_update()
    {
        string name = "imagevol-" + _bed.Suffix;
        var container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, ReadOnlyRootfs = true };
        var v1 = BusyboxImage.Create(
            [new TestLayer().Directory("data", mode: 750, uid: 1000, gid: 1000).File("data/seed.txt", "seed of v1\n", mode: 640, uid: 1000, gid: 1000)],
            t => t with
            {
                Volumes = ["/data", "relative/data"],
                Cmd = ["sh", "-c", "cat /data/seed.txt; stat -c 'seed %u:%g %a' /data/seed.txt; stat -c 'dir %u:%g %a' /data; " +
                    "echo kept-from-v1 > /data/note && echo wrote; touch /probe 2>/dev/null || echo root is read-only"],
            });
        var v2 = BusyboxImage.Create(
            [new TestLayer().Directory("data").File("data/seed.txt", "seed of v2\n")],
            t => t with { Volumes = ["/data/"], Cmd = ["sh", "-c", "echo v2 reads $(cat /data/note) and $(cat /data/seed.txt)"] });

        var first = _bed.Launch(await _bed.PrepareAsync(name, v1, container));
        await using (var workload = await _bed.Driver.StartAsync(first, CancellationToken.None))
        {
            Assert.Equal(0, (await workload.Exited.WaitAsync(Patience)).ExitCode);
        }

        var log = first.Log.Tail(20);
        Assert.Equal(["seed of v1", "seed 1000:1000 640", "dir 1000:1000 750", "wrote", "root is read-only"], log.Where(l => !l.StartsWith("[edgevisor]", StringComparison.Ordinal)));
        Assert.Contains("[edgevisor] image volume 'relative/data' ignored: not an absolute path", log);

        var second = _bed.Launch(await _bed.PrepareAsync(name, v2, container));
        await using (var workload = await _bed.Driver.StartAsync(second, CancellationToken.None))
        {
            Assert.Equal(0, (await workload.Exited.WaitAsync(Patience)).ExitCode);
        }

        Assert.Contains("v2 reads kept-from-v1 and seed of v1", second.Log.Tail(20));
        string volumes = Path.Combine(first.DataDirectory, "volumes", "_image");
        Assert.Single(Directory.GetDirectories(volumes));
    }
}
