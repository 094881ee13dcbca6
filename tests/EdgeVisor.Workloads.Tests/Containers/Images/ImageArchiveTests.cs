using System.Formats.Tar;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Tests.Containers.Images;

/// <summary>oci-archive and docker-save tarballs, written by the test builder and by skopeo, imported and refused.</summary>
public sealed class ImageArchiveTests : IDisposable
{
    private static readonly Platform Arm64 = new() { Os = "linux", Architecture = "arm64" };
    private static readonly Platform Amd64 = new() { Os = "linux", Architecture = "amd64" };

    private readonly StoreScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private BlobStore Blobs => _scratch.Store.Blobs;

    [Fact]
    public async Task An_oci_archive_imports_every_blob_verified_and_unpacks()
    {
        var image = SmallImage("oci");
        string archive = Path.Combine(_scratch.Root, "image.tar");
        image.WriteOciArchive(archive, "v1");

        string manifest = await ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None);

        Assert.Equal(image.ManifestDigest, manifest);
        Assert.Equal(image.AllBlobs().Select(b => b.Key).Order(), Blobs.All().Order());
        await AssertUnpacksAsync(manifest, "oci");
    }

    [Fact]
    public async Task A_docker_save_imports_as_a_synthesized_oci_manifest_and_unpacks()
    {
        var image = SmallImage("docker");
        string archive = Path.Combine(_scratch.Root, "save.tar");
        image.WriteDockerSave(archive, "example.com/app:1.0");

        string manifestDigest = await ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None);

        var manifest = OciJson.Parse<ImageManifest>(Blobs.Read(manifestDigest), "manifest");
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(image.ConfigDigest, manifest.Config.Digest);
        Assert.Equal(image.Layers.Select(l => l.DiffId), manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayer, l.MediaType));
        await AssertUnpacksAsync(manifestDigest, "docker");
        Assert.Equal(manifestDigest, await ImageArchive.ImportAsync(archive, Platform.Host, "app:1.0", Blobs, CancellationToken.None));
    }

    [Theory]
    [InlineData("oci-archive")]
    [InlineData("docker-archive")]
    public async Task Archives_skopeo_writes_from_an_oci_layout_import(string transport)
    {
        var image = SmallImage(transport);
        string layout = Path.Combine(_scratch.Root, "layout");
        image.WriteOciLayout(layout, "v1");
        string archive = Path.Combine(_scratch.Root, transport + ".tar");
        string destination = transport == "oci-archive" ? $"oci-archive:{archive}:v1" : $"docker-archive:{archive}:example.com/app:v1";

        var copy = await ProcessRunner.RunAsync("skopeo", ["--insecure-policy", "copy", $"oci:{layout}:v1", destination], _scratch.Root, TimeSpan.FromSeconds(60));
        Assert.True(copy.ExitCode == 0, $"skopeo copy failed: {copy.Stderr}");

        string manifest = await ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None);

        await AssertUnpacksAsync(manifest, transport);
        var config = OciJson.Parse<ImageConfig>(Blobs.Read(OciJson.Parse<ImageManifest>(Blobs.Read(manifest), "m").Config.Digest), "c");
        Assert.Equal(image.Layers.Select(l => l.DiffId), config.Rootfs.DiffIds);
    }

    [Fact]
    public async Task A_multi_platform_archive_gives_the_image_for_the_asked_platform()
    {
        var host = new TestImage { Layers = [new TestLayer().File("arch", "amd64")], Platform = Amd64 }.Build();
        var arm = new TestImage { Layers = [new TestLayer().File("arch", "arm64")], Platform = Arm64 }.Build();
        string archive = Path.Combine(_scratch.Root, "multi.tar");
        TestIndex.Of(host, arm).WriteOciArchive(archive, "multi");

        Assert.Equal(arm.ManifestDigest, await ImageArchive.ImportAsync(archive, Arm64, null, Blobs, CancellationToken.None));
        Assert.Equal(host.ManifestDigest, await ImageArchive.ImportAsync(archive, Amd64, "multi", Blobs, CancellationToken.None));
        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, new Platform { Os = "linux", Architecture = "riscv64" }, null, Blobs, CancellationToken.None));
        Assert.True(e.Permanent);
        Assert.Contains("no image for linux/riscv64 (it has: linux/amd64, linux/arm64)", e.Message, StringComparison.Ordinal);
        Assert.Contains(arm.Layers[0].Digest, Blobs.All());
    }

    [Fact]
    public async Task An_archive_without_platforms_in_its_index_is_chosen_by_the_config()
    {
        var arm = new TestImage { Layers = [new TestLayer().File("arch", "arm64")], Platform = Arm64 }.Build();
        string archive = Path.Combine(_scratch.Root, "arm.tar");
        arm.WriteOciArchive(archive);

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Amd64, null, Blobs, CancellationToken.None));

        Assert.Contains("no image for linux/amd64 (it has: linux/arm64)", e.Message, StringComparison.Ordinal);
        Assert.Empty(Blobs.All());
    }

    [Fact]
    public async Task A_name_the_archive_does_not_have_is_refused_listing_the_names()
    {
        string archive = Path.Combine(_scratch.Root, "named.tar");
        SmallImage("named").WriteOciArchive(archive, "v1");

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, "v2", Blobs, CancellationToken.None));

        Assert.Contains("no image named 'v2' (it has: v1)", e.Message, StringComparison.Ordinal);
        Assert.NotNull(await ImageArchive.ImportAsync(archive, Platform.Host, "example.com/app:v1", Blobs, CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_flipped_byte_in_a_layer_is_refused_and_leaves_no_blob(bool dockerSave)
    {
        var image = SmallImage("flip");
        string archive = Path.Combine(_scratch.Root, "flip.tar");
        if (dockerSave)
        {
            image.WriteDockerSave(archive, "app:flip");
        }
        else
        {
            image.WriteOciArchive(archive);
        }

        string entry = dockerSave ? Digests.Hex(image.Layers[1].DiffId) + "/layer.tar" : "blobs/sha256/" + Digests.Hex(image.Layers[1].Digest);
        FlipByteOf(archive, entry);

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Contains("content has digest", e.Message, StringComparison.Ordinal);
        Assert.Empty(Blobs.All());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Blobs.Directory, "partial")));
    }

    [Fact]
    public async Task An_entry_escaping_the_archive_root_is_refused()
    {
        string archive = WriteTar("escape.tar", ("oci-layout", "{}"u8.ToArray()), ("index.json", "{\"manifests\":[]}"u8.ToArray()), ("../../evil", [1]));

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None));

        Assert.Contains("entry '../../evil' escapes the archive's root", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch.Root, "..", "evil")));
    }

    [Fact]
    public async Task Oversized_json_and_missing_blobs_are_refused_with_one_line_each()
    {
        string huge = WriteTar("huge.tar", ("oci-layout", "{}"u8.ToArray()), ("index.json", new byte[5 << 20]));
        var image = SmallImage("missing");
        string missing = WriteTar("missing.tar",
            ("oci-layout", "{}"u8.ToArray()),
            ("index.json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { Manifests = [image.Descriptor(withPlatform: true)] }, OciJson.Options)),
            ("blobs/sha256/" + image.PinnedSha256, image.ManifestBytes));

        var tooBig = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(huge, Platform.Host, null, Blobs, CancellationToken.None));
        var absent = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(missing, Platform.Host, null, Blobs, CancellationToken.None));

        Assert.Contains("'index.json' is 5242880 bytes, more than the 4194304", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains($"blob {image.ConfigDigest} is missing", absent.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', tooBig.Message + absent.Message);
        Assert.Empty(Blobs.All());
    }

    [Fact]
    public async Task A_docker_save_of_several_images_needs_a_name()
    {
        var image = SmallImage("several");
        string single = Path.Combine(_scratch.Root, "single.tar");
        image.WriteDockerSave(single, "a:1");
        var files = ReadTar(single);
        var listed = System.Text.Json.Nodes.JsonNode.Parse(files["manifest.json"])!.AsArray();
        var second = listed[0]!.DeepClone();
        second["RepoTags"] = new System.Text.Json.Nodes.JsonArray("b:2");
        listed.Add(second);
        files["manifest.json"] = System.Text.Encoding.UTF8.GetBytes(listed.ToJsonString());
        string archive = WriteTar("several.tar", [.. files.Select(f => (f.Key, f.Value))]);

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None));

        Assert.Contains("holds 2 images; name one of: a:1, b:2", e.Message, StringComparison.Ordinal);
        Assert.NotNull(await ImageArchive.ImportAsync(archive, Platform.Host, "b:2", Blobs, CancellationToken.None));
    }

    [Fact]
    public async Task A_gzipped_docker_save_imports_and_leaves_no_scratch()
    {
        var image = SmallImage("gzipped");
        string save = Path.Combine(_scratch.Root, "save.tar");
        image.WriteDockerSave(save, "app:gz");
        string archive = save + ".gz";
        using (var output = File.Create(archive))
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        using (var input = File.OpenRead(save))
        {
            input.CopyTo(gzip);
        }

        string manifest = await ImageArchive.ImportAsync(archive, Platform.Host, null, Blobs, CancellationToken.None);

        await AssertUnpacksAsync(manifest, "gzipped");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Blobs.Directory, "partial")));
    }

    [Fact]
    public async Task A_docker_save_for_another_platform_is_refused()
    {
        var arm = new TestImage { Layers = [new TestLayer().File("arch", "arm64")], Platform = Arm64 }.Build();
        string archive = Path.Combine(_scratch.Root, "arm-save.tar");
        arm.WriteDockerSave(archive, "app:arm");

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Amd64, null, Blobs, CancellationToken.None));

        Assert.Contains("its image is linux/arm64, not linux/amd64", e.Message, StringComparison.Ordinal);
        Assert.Empty(Blobs.All());
    }

    [Fact]
    public async Task A_reserve_larger_than_the_free_space_fails_before_anything_is_written()
    {
        string archive = Path.Combine(_scratch.Root, "space.tar");
        SmallImage("space").WriteOciArchive(archive);
        var full = new BlobStore(Path.Combine(_scratch.Root, "full"), FreeSpace.Available(_scratch.Root) + (1L << 40));

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, null, full, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Empty(full.All());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(full.Directory, "partial")));
    }

    [Fact]
    public async Task A_gzipped_archive_expanding_past_the_reserve_is_transient_and_leaves_no_scratch()
    {
        string archive = Path.Combine(_scratch.Root, "bomb.tar.gz");
        await File.WriteAllBytesAsync(archive, StoreScratch.ZeroBomb(320L * 1024 * 1024).Bytes);
        var tight = new BlobStore(Path.Combine(_scratch.Root, "tight"), FreeSpace.Available(_scratch.Root) - (16L * 1024 * 1024));

        var e = await Assert.ThrowsAsync<ArtifactException>(() => ImageArchive.ImportAsync(archive, Platform.Host, null, tight, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Contains("must stay free", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(tight.Directory, "partial")));
    }

    /// <summary>A two-layer image for the host whose top layer names the test (so digests differ between tests).</summary>
    private static BuiltImage SmallImage(string name) =>
        new TestImage
        {
            Layers = [new TestLayer().File("etc/base", "base"), new TestLayer().File("app/name", name)],
            Cmd = ["/app/run"],
        }.Build();

    private async Task AssertUnpacksAsync(string manifest, string name)
    {
        var image = await _scratch.Store.UnpackAsync(manifest, CancellationToken.None);
        Assert.Equal(["/app/run"], image.Config.Config?.Cmd);
        Assert.Equal(name, File.ReadAllText(Path.Combine(image.LayerDirectories[1], "app/name")));
    }

    private string WriteTar(string name, params (string Path, byte[] Content)[] files)
    {
        string path = Path.Combine(_scratch.Root, name);
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var (entryPath, content) in files)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryPath) { DataStream = new MemoryStream(content) });
        }

        return path;
    }

    private static Dictionary<string, byte[]> ReadTar(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                files[entry.Name] = copy.ToArray();
            }
        }

        return files;
    }

    private static void FlipByteOf(string archive, string entryName)
    {
        long offset;
        using (var stream = File.OpenRead(archive))
        using (var reader = new TarReader(stream))
        {
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) is not null && entry.Name != entryName)
            {
            }

            offset = entry?.DataOffset ?? throw new InvalidOperationException($"{archive} has no {entryName}");
        }

        using var file = File.OpenHandle(archive, FileMode.Open, FileAccess.ReadWrite);
        byte[] one = new byte[1];
        RandomAccess.Read(file, one, offset + 20);
        one[0] ^= 0xff;
        RandomAccess.Write(file, one, offset + 20);
    }
}
