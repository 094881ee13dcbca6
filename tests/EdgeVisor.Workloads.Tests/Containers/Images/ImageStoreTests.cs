using System.Text.Json;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Tests.Containers.Images;

/// <summary>Unpack-once snapshots shared between images, pins, and garbage collection.</summary>
public sealed class ImageStoreTests : IDisposable
{
    private static readonly TestLayer Base = new TestLayer().File("etc/base", "base");

    private readonly StoreScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_layer_two_images_share_is_unpacked_once()
    {
        var first = new TestImage { Layers = [Base, new TestLayer().File("app", "one")] }.Build();
        var second = new TestImage { Layers = [Base, new TestLayer().File("app", "two")] }.Build();
        var one = await _scratch.Store.UnpackAsync(await _scratch.AddAsync(first), CancellationToken.None);

        // A file no layer has: if the second image unpacked the base layer again, the new snapshot would lack it.
        string marker = Path.Combine(one.LayerDirectories[0], "unpacked-once");
        await File.WriteAllTextAsync(marker, "");
        var two = await _scratch.Store.UnpackAsync(await _scratch.AddAsync(second), CancellationToken.None);

        Assert.Equal(one.LayerDirectories[0], two.LayerDirectories[0]);
        Assert.True(File.Exists(marker));
        Assert.Equal(3, _scratch.Snapshots().Count);
        Assert.Equal("two", File.ReadAllText(Path.Combine(two.LayerDirectories[1], "app")));
    }

    [Fact]
    public async Task Concurrent_unpacks_of_the_same_layers_agree_and_leave_no_scratch()
    {
        var image = new TestImage { Layers = [Base, new TestLayer().File("big", new byte[4 << 20])] }.Build();
        string manifest = await _scratch.AddAsync(image);

        var images = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _scratch.Store.UnpackAsync(manifest, CancellationToken.None))));

        Assert.All(images, i => Assert.Equal(images[0].LayerDirectories, i.LayerDirectories));
        Assert.Equal(2, _scratch.Snapshots().Count);
        Assert.DoesNotContain(_scratch.Snapshots(), s => s.StartsWith(".tmp-", StringComparison.Ordinal));
        Assert.Equal(4 << 20, new FileInfo(Path.Combine(images[0].LayerDirectories[1], "big")).Length);
    }

    [Fact]
    public async Task Find_sees_an_unpacked_image_and_not_one_whose_layers_are_missing()
    {
        var image = new TestImage { Layers = [Base], Cmd = ["/bin/true"] }.Build();
        string manifest = await _scratch.AddAsync(image);

        Assert.Null(_scratch.Store.Find(manifest));
        await _scratch.Store.UnpackAsync(manifest, CancellationToken.None);
        var found = _scratch.Open(0).Find(manifest);

        Assert.NotNull(found);
        Assert.Equal(["/bin/true"], found.Config.Config?.Cmd);
        Assert.Null(_scratch.Store.Find("sha256:" + new string('e', 64)));
    }

    [Fact]
    public async Task A_manifest_whose_config_lists_other_layers_is_refused()
    {
        var oneLayer = new TestImage { Layers = [Base] }.Build();
        var twoLayers = new TestImage { Layers = [Base, new TestLayer().File("x", "x")] }.Build();
        await _scratch.AddAsync(oneLayer);
        await _scratch.AddAsync(twoLayers);
        var manifest = JsonSerializer.Deserialize<ImageManifest>(twoLayers.ManifestBytes, OciJson.Options)! with
        {
            Config = JsonSerializer.Deserialize<ImageManifest>(oneLayer.ManifestBytes, OciJson.Options)!.Config,
        };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Options);
        string digest = await _scratch.Store.Blobs.AddAsync(new MemoryStream(bytes), null, "test", CancellationToken.None);

        var e = await Assert.ThrowsAsync<ArtifactException>(() => _scratch.Store.UnpackAsync(digest, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Contains($"has 2 layers but its config {oneLayer.ConfigDigest} lists 1 diff_ids", e.Message, StringComparison.Ordinal);
        Assert.Empty(_scratch.Snapshots());
    }

    [Fact]
    public async Task An_index_is_not_unpacked_as_a_manifest()
    {
        var image = new TestImage { Layers = [Base] }.Build();
        var index = TestIndex.Of(image);
        await _scratch.AddAsync(image);
        await _scratch.Store.Blobs.AddAsync(new MemoryStream(index.Bytes), index.Digest, "test", CancellationToken.None);

        var e = await Assert.ThrowsAsync<ArtifactException>(() => _scratch.Store.UnpackAsync(index.Digest, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Contains("is an image index", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pins_map_a_source_in_either_digest_form_to_its_manifest()
    {
        string source = new('1', 64);
        string manifest = "sha256:" + new string('2', 64);

        _scratch.Store.Pin(source, manifest);

        Assert.Equal(manifest, _scratch.Store.ManifestFor(source));
        Assert.Equal(manifest, _scratch.Open(0).ManifestFor("sha256:" + source));
        Assert.Null(_scratch.Store.ManifestFor(new string('3', 64)));
        Assert.Throws<FormatException>(() => _scratch.Store.Pin("not-a-digest", manifest));
    }

    [Fact]
    public async Task Garbage_collection_keeps_what_kept_pins_reach_and_deletes_the_rest()
    {
        var kept = new TestImage { Layers = [Base, new TestLayer().File("app", "kept")] }.Build();
        var dropped = new TestImage { Layers = [Base, new TestLayer().File("app", "dropped, and longer")] }.Build();
        var keptIndex = TestIndex.Of(kept);
        await _scratch.AddAsync(kept);
        await _scratch.AddAsync(dropped);
        await _scratch.Store.Blobs.AddAsync(new MemoryStream(keptIndex.Bytes), keptIndex.Digest, "test", CancellationToken.None);
        var keptImage = await _scratch.Store.UnpackAsync(kept.ManifestDigest, CancellationToken.None);
        var droppedImage = await _scratch.Store.UnpackAsync(dropped.ManifestDigest, CancellationToken.None);
        _scratch.Store.Pin(keptIndex.PinnedSha256, kept.ManifestDigest);
        _scratch.Store.Pin(dropped.PinnedSha256, dropped.ManifestDigest);
        Directory.CreateDirectory(Path.Combine(_scratch.StoreDirectory, "snapshots", ".tmp-left-by-a-crash"));

        long freed = _scratch.Store.CollectGarbage(new HashSet<string> { keptIndex.PinnedSha256 });

        Assert.True(freed >= dropped.ManifestBytes.Length + dropped.ConfigBytes.Length + dropped.Layers[1].Bytes.Length, $"freed {freed}");
        Assert.Equal(
            new[] { keptIndex.Digest, kept.ManifestDigest, kept.ConfigDigest, kept.Layers[0].Digest, kept.Layers[1].Digest }.Order(),
            _scratch.Store.Blobs.All().Order());
        Assert.Equal(keptImage.LayerDirectories.Select(Path.GetFileName).Order(), _scratch.Snapshots().Order());
        Assert.True(Directory.Exists(droppedImage.LayerDirectories[0]));
        Assert.False(Directory.Exists(droppedImage.LayerDirectories[1]));
        Assert.NotNull(_scratch.Store.Find(kept.ManifestDigest));
        Assert.Null(_scratch.Store.Find(dropped.ManifestDigest));
        Assert.Null(_scratch.Store.ManifestFor(dropped.PinnedSha256));
        Assert.Equal(kept.ManifestDigest, _scratch.Store.ManifestFor(keptIndex.PinnedSha256));
    }

    [Fact]
    public void Scratch_a_crash_left_is_deleted_when_the_store_opens()
    {
        string scratch = Path.Combine(_scratch.StoreDirectory, "snapshots", ".tmp-crashed");
        Directory.CreateDirectory(Path.Combine(scratch, "half", "unpacked"));

        _scratch.Open(0);

        Assert.False(Directory.Exists(scratch));
    }

    [Fact]
    public void The_store_directory_is_private()
    {
        Assert.Equal("700", StoreScratch.Stat(_scratch.StoreDirectory).Split(' ')[1]);
    }
}
