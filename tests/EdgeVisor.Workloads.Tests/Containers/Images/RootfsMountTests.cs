using System.Text.Json.Nodes;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Tests.Containers.Images;

/// <summary>Snapshots composed by a real overlayfs mount: whiteouts and opaque directories as the container sees them.</summary>
public sealed class RootfsMountTests : IDisposable
{
    private readonly StoreScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Whiteouts_and_opaque_directories_hide_the_lower_layers_in_the_merged_view()
    {
        var image = await _scratch.UnpackAsync(
            new TestLayer().File("a/b", "b").File("a/c", "c").File("d/x", "x"),
            new TestLayer().Whiteout("a/b").OpaqueDirectory("d").File("d/y", "y"));

        using var mount = RootfsMount.Mount(image, _scratch.ContainerDirectory("whiteouts"));

        Assert.True(File.Exists(Path.Combine(mount.Path, "a/c")));
        Assert.False(File.Exists(Path.Combine(mount.Path, "a/b")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(mount.Path, "d/y")));
        Assert.False(File.Exists(Path.Combine(mount.Path, "d/x")));
        Assert.Equal(["y"], Directory.EnumerateFileSystemEntries(Path.Combine(mount.Path, "d")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_busybox_image_runs_under_runc_on_the_overlay_root_with_whiteouts_applied()
    {
        var built = BusyboxImage.Create([new TestLayer().File("hello", "hello from the image").File("a/b", "b"), new TestLayer().Whiteout("a/b")]);
        var image = await _scratch.Store.UnpackAsync(await _scratch.AddAsync(built), CancellationToken.None);
        string bundle = _scratch.ContainerDirectory("runc");
        string state = Path.Combine(_scratch.Root, "runc-state");
        string id = "ev-store-" + Guid.NewGuid().ToString("N")[..12];
        using var mount = RootfsMount.Mount(image, bundle);
        var spec = await ProcessRunner.RunAsync("runc", ["spec", "--bundle", bundle], bundle, TimeSpan.FromSeconds(30));
        Assert.True(spec.ExitCode == 0, $"runc spec failed: {spec.Stderr}");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("/bin/sh", "-c", "cat /hello; test -e /a/b || echo ' and a/b is gone'");
        config["root"]!["path"] = mount.Path;
        await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString());
        try
        {
            var run = await ProcessRunner.RunAsync("runc", ["--root", state, "run", "--bundle", bundle, id], bundle, TimeSpan.FromSeconds(60));

            Assert.True(run.ExitCode == 0, $"runc run exited {run.ExitCode}: {run.Stderr}");
            Assert.Equal("hello from the image and a/b is gone", ProcessRunner.AsText(run.Stdout).Trim());
        }
        finally
        {
            await ProcessRunner.RunAsync("runc", ["--root", state, "delete", "--force", id], bundle, TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Writes_go_to_the_container_upper_directory_and_leave_the_snapshots_alone()
    {
        var image = await _scratch.UnpackAsync(new TestLayer().File("etc/hostname", "image"));
        string container = _scratch.ContainerDirectory("writes");

        using (var mount = RootfsMount.Mount(image, container))
        {
            File.WriteAllText(Path.Combine(mount.Path, "etc/hostname"), "container");
            File.Delete(Path.Combine(mount.Path, "etc/hostname"));
            Assert.Equal("image", File.ReadAllText(Path.Combine(image.LayerDirectories[0], "etc/hostname")));
        }

        Assert.Empty(MountTable.Under(container));
        Assert.False(Directory.Exists(Path.Combine(container, "upper")));
        Assert.False(Directory.Exists(Path.Combine(container, "rootfs")));
    }

    [Fact]
    public async Task An_image_without_layers_mounts_an_empty_root()
    {
        var image = await _scratch.UnpackAsync();

        using var mount = RootfsMount.Mount(image, _scratch.ContainerDirectory("empty"));

        Assert.Single(MountTable.Under(mount.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(mount.Path));
    }

    [Fact]
    public async Task Remove_unmounts_an_orphan_and_deletes_its_directory()
    {
        var image = await _scratch.UnpackAsync(new TestLayer().File("f", "f"));
        string container = _scratch.ContainerDirectory("orphan");
        _ = RootfsMount.Mount(image, container); // as if the agent crashed holding it

        RootfsMount.Remove(container);

        Assert.Empty(MountTable.Under(container));
        Assert.False(Directory.Exists(container));
        Assert.True(File.Exists(Path.Combine(image.LayerDirectories[0], "f")));
    }

    [Fact]
    public void Too_many_layers_for_one_mount_option_string_is_a_start_error_naming_the_count()
    {
        string layer = Path.Combine(_scratch.StoreDirectory, "snapshots", new string('a', 64));
        var image = new LocalImage("sha256:" + new string('b', 64), new ImageConfig { Rootfs = new ImageRootfs { DiffIds = [] } }, [.. Enumerable.Repeat(layer, 200)]);

        var e = Assert.Throws<WorkloadStartException>(() => RootfsMount.Mount(image, _scratch.ContainerDirectory("deep")));

        Assert.Contains("its 200 layers", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.ContainerDirectory("deep")));
    }

    [Fact]
    public void A_missing_snapshot_is_a_start_error_and_leaves_nothing()
    {
        var image = new LocalImage("sha256:" + new string('c', 64), new ImageConfig { Rootfs = new ImageRootfs { DiffIds = [] } }, [Path.Combine(_scratch.Root, "gone")]);

        var e = Assert.Throws<WorkloadStartException>(() => RootfsMount.Mount(image, _scratch.ContainerDirectory("missing")));

        Assert.Contains("overlay mount", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.ContainerDirectory("missing")));
    }
}
