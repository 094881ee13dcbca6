using System.Formats.Tar;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Tests.Containers.Images;

/// <summary>Untrusted layer tars against the real file system: what lands, what is refused, and that a refusal leaves nothing.</summary>
public sealed class LayerExtractionTests : IDisposable
{
    private readonly StoreScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Dot_dot_escaping_the_root_is_refused_naming_layer_and_entry()
    {
        var layer = new TestLayer().File("ok", "fine").Raw(new PaxTarEntry(TarEntryType.RegularFile, "../../escape") { DataStream = new MemoryStream([1]) });

        var e = await RefusedAsync(layer);

        Assert.True(e.Permanent);
        Assert.Contains(layer.Build().Digest, e.Message, StringComparison.Ordinal);
        Assert.Contains("'../../escape' escapes the root", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch.Root, "escape")));
        Assert.False(File.Exists(Path.Combine(_scratch.StoreDirectory, "escape")));
    }

    [Fact]
    public async Task Absolute_paths_and_inner_dot_dots_land_inside()
    {
        var image = await _scratch.UnpackAsync(new TestLayer()
            .Raw(new PaxTarEntry(TarEntryType.RegularFile, "/abs/path") { DataStream = new MemoryStream("a"u8.ToArray()) })
            .Raw(new PaxTarEntry(TarEntryType.RegularFile, "x/../y/./z") { DataStream = new MemoryStream("z"u8.ToArray()) }));

        Assert.Equal("a", File.ReadAllText(Path.Combine(image.LayerDirectories[0], "abs/path")));
        Assert.Equal("z", File.ReadAllText(Path.Combine(image.LayerDirectories[0], "y/z")));
        Assert.False(File.Exists("/abs/path"));
    }

    [Fact]
    public async Task Writing_through_a_symlink_to_a_host_directory_is_refused()
    {
        // The brief's "s -> /etc, then s/passwd", aimed at a directory of the test's own so a bug cannot hurt the machine.
        var layer = new TestLayer().Symlink("s", _scratch.Outside).File("s/passwd", "root::0:0::/:/bin/sh");

        var e = await RefusedAsync(layer);

        Assert.Contains("goes through 's', which is a symlink", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_scratch.Outside));
    }

    [Fact]
    public async Task Symlink_to_etc_stays_a_symlink_and_is_never_followed()
    {
        var image = await _scratch.UnpackAsync(new TestLayer().Symlink("s", "/etc").Symlink("s", "/root").File("s", "replaced"));

        string s = Path.Combine(image.LayerDirectories[0], "s");
        Assert.Null(new FileInfo(s).LinkTarget);
        Assert.Equal("replaced", File.ReadAllText(s));
        Assert.False(File.Exists("/etc/s"));
    }

    [Fact]
    public async Task Hardlink_through_a_symlinked_directory_is_refused()
    {
        File.WriteAllText(Path.Combine(_scratch.Outside, "secret"), "host");
        var layer = new TestLayer().Directory("d").File("d/f", "x").Symlink("l", _scratch.Outside).Hardlink("h", "l/secret");

        var e = await RefusedAsync(layer);

        Assert.Contains("is a hardlink to 'l/secret', which is not a regular file in this layer", e.Message, StringComparison.Ordinal);
        Assert.Equal("1", LinkCount(Path.Combine(_scratch.Outside, "secret")));
    }

    [Fact]
    public async Task Hardlink_placed_under_a_symlinked_directory_is_refused()
    {
        var layer = new TestLayer().File("f", "x").Symlink("l", _scratch.Outside).Hardlink("l/h", "f");

        await RefusedAsync(layer);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_scratch.Outside));
    }

    [Theory]
    [InlineData("/etc/shadow", "which is not a regular file in this layer")]
    [InlineData("../../../../../../etc/shadow", "outside the root")]
    public async Task Hardlink_to_a_host_file_is_refused(string target, string why)
    {
        var layer = new TestLayer().Raw(new PaxTarEntry(TarEntryType.HardLink, "shadow") { LinkName = target });

        var e = await RefusedAsync(layer);

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hardlinks_inside_the_layer_share_the_file()
    {
        var image = await _scratch.UnpackAsync(new TestLayer().Directory("d").File("d/f", "x").Hardlink("h", "d/f"));

        Assert.Equal("2", LinkCount(Path.Combine(image.LayerDirectories[0], "h")));
    }

    [Fact]
    public async Task Device_nodes_are_dropped_and_fifos_made()
    {
        var image = await _scratch.UnpackAsync(new TestLayer()
            .CharDevice("dev/sda", 8, 0)
            .CharDevice("dev/mem", 1, 1)
            .Raw(new PaxTarEntry(TarEntryType.BlockDevice, "dev/vda") { DeviceMajor = 254 })
            .Raw(new PaxTarEntry(TarEntryType.Fifo, "run/pipe") { Mode = (UnixFileMode)0x1a4 })
            .File("dev/readme", "no devices here"));

        string root = image.LayerDirectories[0];
        Assert.Equal(["readme"], Directory.EnumerateFileSystemEntries(Path.Combine(root, "dev")).Select(Path.GetFileName));
        Assert.EndsWith("fifo", StoreScratch.Stat(Path.Combine(root, "run/pipe")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setuid_and_setgid_bits_are_stripped_sticky_kept_owner_and_mtime_applied()
    {
        var image = await _scratch.UnpackAsync(new TestLayer()
            .File("bin/su", "#!/bin/sh", mode: 4755)
            .File("bin/wall", "#!/bin/sh", mode: 2755, gid: 5)
            .Directory("tmp", mode: 1777)
            .File("home/app/data", "x", mode: 600, uid: 1000, gid: 1000)
            .Directory("ro", mode: 555)
            .File("ro/inside", "written before the directory went read-only"));

        string root = image.LayerDirectories[0];
        long mtime = TestLayer.Timestamp.ToUnixTimeSeconds();
        Assert.Equal($"0:0 755 {mtime} regular file", StoreScratch.Stat(Path.Combine(root, "bin/su")));
        Assert.Equal($"0:5 755 {mtime} regular file", StoreScratch.Stat(Path.Combine(root, "bin/wall")));
        Assert.Equal($"0:0 1777 {mtime} directory", StoreScratch.Stat(Path.Combine(root, "tmp")));
        Assert.Equal($"1000:1000 600 {mtime} regular file", StoreScratch.Stat(Path.Combine(root, "home/app/data")));
        Assert.Equal($"0:0 555 {mtime} directory", StoreScratch.Stat(Path.Combine(root, "ro")));
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public async Task Gzip_zstd_and_plain_layers_unpack(LayerCompression compression)
    {
        var image = await _scratch.UnpackAsync(new TestLayer().File("etc/os-release", "ID=test").Compressed(compression));

        Assert.Equal("ID=test", File.ReadAllText(Path.Combine(image.LayerDirectories[0], "etc/os-release")));
    }

    [Fact]
    public async Task A_layer_whose_content_is_not_its_diff_id_is_refused()
    {
        var layer = new TestLayer().File("a", "a").Build();
        var other = new TestLayer().File("b", "b").Build();
        var image = new TestImage().Build([layer with { DiffId = other.DiffId }]);

        var e = await Assert.ThrowsAsync<ArtifactException>(async () => await _scratch.Store.UnpackAsync(await _scratch.AddAsync(image), CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Contains($"diff_id is {other.DiffId}", e.Message, StringComparison.Ordinal);
        Assert.Empty(_scratch.Snapshots());
    }

    [Fact]
    public async Task Garbage_instead_of_a_tar_is_refused_permanently()
    {
        var layer = new BuiltLayer("not a tar at all, just some text that is long enough to fill a header"u8.ToArray(), "", "", [], LayerCompression.Gzip);
        layer = layer with { Digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(layer.Bytes)), DiffId = "sha256:" + new string('0', 64) };
        var image = new TestImage().Build([layer]);

        var e = await Assert.ThrowsAsync<ArtifactException>(async () => await _scratch.Store.UnpackAsync(await _scratch.AddAsync(image), CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Empty(_scratch.Snapshots());
    }

    [Fact]
    public async Task A_decompression_bomb_stops_at_the_reserve_as_a_transient_error()
    {
        var image = new TestImage().Build([StoreScratch.ZeroBomb(320L * 1024 * 1024)]);
        await _scratch.AddAsync(image);
        long available = FreeSpace.Available(_scratch.Root);
        var tight = _scratch.Open(available - (16L * 1024 * 1024));

        var e = await Assert.ThrowsAsync<ArtifactException>(() => tight.UnpackAsync(image.ManifestDigest, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Contains("must stay free", e.Message, StringComparison.Ordinal);
        Assert.Empty(_scratch.Snapshots());
    }

    [Fact]
    public async Task A_reserve_larger_than_the_free_space_fails_before_anything_is_written()
    {
        var image = new TestImage { Layers = [new TestLayer().File("a", "a")] }.Build();
        await _scratch.AddAsync(image);
        var full = _scratch.Open(FreeSpace.Available(_scratch.Root) + (1L << 40));

        var e = await Assert.ThrowsAsync<ArtifactException>(() => full.UnpackAsync(image.ManifestDigest, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Empty(_scratch.Snapshots());
    }

    private async Task<ArtifactException> RefusedAsync(TestLayer layer)
    {
        var image = new TestImage { Layers = [layer] }.Build();
        string manifest = await _scratch.AddAsync(image);
        var e = await Assert.ThrowsAsync<ArtifactException>(() => _scratch.Store.UnpackAsync(manifest, CancellationToken.None));
        Assert.True(e.Permanent, e.Message);
        Assert.Empty(_scratch.Snapshots());
        Assert.Null(_scratch.Store.Find(manifest));
        return e;
    }

    private static string LinkCount(string path) =>
        EdgeVisor.Testing.Processes.ProcessRunner.AsText(
            EdgeVisor.Testing.Processes.ProcessRunner.Run("stat", ["-c", "%h", path], "/", TimeSpan.FromSeconds(10)).Stdout).Trim();
}
