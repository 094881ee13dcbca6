using System.Collections.Concurrent;
using System.Text.Json;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// The device's images: a <see cref="BlobStore"/>, each layer unpacked once into a read-only snapshot directory
/// (whiteouts turned into overlayfs whiteouts, unsafe entries neutralised), and pins from what a deployment names
/// (a registry reference's pinned digest, a tarball's sha256) to the platform manifest it resolved to.
/// </summary>
/// <remarks>
/// Layout under the directory (0700: host users must not reach image files or snapshots): <c>blobs/</c> and
/// <c>partial/</c> (the blob store), <c>snapshots/&lt;layer-hex&gt;/</c> (one per layer blob, usable as an overlayfs
/// lower directory), <c>pins/&lt;source-hex&gt;</c> (text: the manifest digest). A layer is extracted into
/// <c>snapshots/.tmp-&lt;random&gt;</c> and renamed into place when complete, so a snapshot exists whole or not at all;
/// scratch a crash leaves behind is deleted when the store opens.
/// </remarks>
public sealed class ImageStore
{
    private const string ScratchPrefix = ".tmp-";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly TimeSpan StalePartAge = TimeSpan.FromDays(1);

    private readonly string _snapshots;
    private readonly string _pins;
    private readonly ILogger<ImageStore> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _layerLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _activeScratch = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalImage> _found = new(StringComparer.Ordinal);

    public ImageStore(string directory, long reserveBytes, ILogger<ImageStore> logger)
    {
        Directory = Path.GetFullPath(directory);
        _logger = logger;
        _snapshots = Path.Combine(Directory, "snapshots");
        _pins = Path.Combine(Directory, "pins");
        CreatePrivate(Directory);
        Blobs = new BlobStore(Directory, reserveBytes);
        CreatePrivate(_snapshots);
        CreatePrivate(_pins);
        foreach (string scratch in System.IO.Directory.EnumerateDirectories(_snapshots, ScratchPrefix + "*"))
        {
            DeleteTree(scratch);
        }
    }

    /// <summary>The store's root directory.</summary>
    public string Directory { get; }

    public BlobStore Blobs { get; }

    /// <summary>The snapshot directory a layer blob unpacks into (it exists only once complete).</summary>
    public string SnapshotPath(string layerDigest) => Path.Combine(_snapshots, Digests.Hex(layerDigest));

    /// <summary>Records that <paramref name="sourceDigest"/> resolved to <paramref name="manifestDigest"/> on this device.</summary>
    public void Pin(string sourceDigest, string manifestDigest)
    {
        Digests.Hex(manifestDigest);
        string pin = PinPath(sourceDigest);
        string scratch = Path.Combine(_pins, $"{ScratchPrefix}{Guid.NewGuid():N}");
        File.WriteAllText(scratch, manifestDigest + "\n");
        File.Move(scratch, pin, overwrite: true);
    }

    /// <summary>The manifest <paramref name="sourceDigest"/> resolved to, or null.</summary>
    public string? ManifestFor(string sourceDigest)
    {
        string pin = PinPath(sourceDigest);
        if (!File.Exists(pin))
        {
            return null;
        }

        string manifest = File.ReadAllText(pin).Trim();
        return Digests.IsValid(manifest) ? manifest : null;
    }

    /// <summary>Unpacks every layer of the manifest (already in <see cref="Blobs"/>) not yet unpacked; returns the image.</summary>
    public async Task<LocalImage> UnpackAsync(string manifestDigest, CancellationToken ct)
    {
        var (manifest, config) = ReadImage(manifestDigest);
        var directories = new List<string>(manifest.Layers.Count);
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            await UnpackLayerAsync(manifest.Layers[i], config.Rootfs.DiffIds[i], ct).ConfigureAwait(false);
            directories.Add(SnapshotPath(manifest.Layers[i].Digest));
        }

        var image = new LocalImage(manifestDigest, config, directories);
        _found[manifestDigest] = image;
        return image;
    }

    /// <summary>The image when its manifest, config and every snapshot are present; null otherwise. Cheap.</summary>
    public LocalImage? Find(string manifestDigest)
    {
        if (!Digests.IsValid(manifestDigest) || !Blobs.Contains(manifestDigest))
        {
            return null;
        }

        if (_found.TryGetValue(manifestDigest, out var known) && known.LayerDirectories.All(System.IO.Directory.Exists))
        {
            return known;
        }

        try
        {
            var (manifest, config) = ReadImage(manifestDigest);
            var directories = manifest.Layers.Select(l => SnapshotPath(l.Digest)).ToList();
            if (!directories.All(System.IO.Directory.Exists))
            {
                return null;
            }

            var image = new LocalImage(manifestDigest, config, directories);
            _found[manifestDigest] = image;
            return image;
        }
        catch (ArtifactException)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes pins, blobs and snapshots that no pin of <paramref name="keepSourceDigests"/> reaches (a kept pin
    /// reaches its own blob if present — an index —, its manifest, config, layers and their snapshots), parts older
    /// than a day and extraction scratch; returns bytes freed. Not to be run while a pull for a kept image is under
    /// way: its blobs are not reachable until it is pinned.
    /// </summary>
    public long CollectGarbage(IReadOnlySet<string> keepSourceDigests)
    {
        ArgumentNullException.ThrowIfNull(keepSourceDigests);
        var keep = keepSourceDigests.Select(SourceHex).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        foreach (string pin in System.IO.Directory.EnumerateFiles(_pins))
        {
            string name = Path.GetFileName(pin);
            if (!keep.Contains(name))
            {
                File.Delete(pin);
                continue;
            }

            blobs.Add(Digests.FromHex(name));
            if (ManifestFor(name) is { } manifestDigest)
            {
                Reach(manifestDigest, blobs, snapshots);
            }
        }

        long freed = 0;
        int blobCount = 0;
        int snapshotCount = 0;
        foreach (string blob in Blobs.All().Where(b => !blobs.Contains(b)).ToList())
        {
            freed += new FileInfo(Blobs.PathOf(blob)).Length;
            Blobs.Delete(blob);
            blobCount++;
        }

        foreach (string snapshot in System.IO.Directory.EnumerateDirectories(_snapshots).ToList())
        {
            string name = Path.GetFileName(snapshot);
            bool scratch = name.StartsWith(ScratchPrefix, StringComparison.Ordinal);
            if ((scratch && _activeScratch.ContainsKey(snapshot)) || (!scratch && snapshots.Contains(name)))
            {
                continue;
            }

            // Renamed first, so a crash mid-delete leaves scratch (cleaned at start), never a half snapshot.
            string doomed = scratch ? snapshot : Path.Combine(_snapshots, $"{ScratchPrefix}gc-{Guid.NewGuid():N}");
            if (!scratch)
            {
                System.IO.Directory.Move(snapshot, doomed);
                snapshotCount++;
            }

            freed += TreeBytes(doomed);
            DeleteTree(doomed);
        }

        freed += System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "partial"))
            .Select(p => new FileInfo(p))
            .Where(f => DateTime.UtcNow - f.LastWriteTimeUtc > StalePartAge)
            .Sum(f => f.Length);
        Blobs.DeleteStaleParts(StalePartAge);
        _found.Clear();
        ImageStoreLog.Collected(_logger, freed, blobCount, snapshotCount);
        return freed;
    }

    private void Reach(string manifestDigest, HashSet<string> blobs, HashSet<string> snapshots)
    {
        blobs.Add(manifestDigest);
        try
        {
            var manifest = OciJson.Parse<ImageManifest>(Blobs.Read(manifestDigest), $"manifest {manifestDigest}");
            blobs.Add(manifest.Config.Digest);
            foreach (var layer in manifest.Layers)
            {
                blobs.Add(layer.Digest);
                if (Digests.IsValid(layer.Digest))
                {
                    snapshots.Add(Digests.Hex(layer.Digest));
                }
            }
        }
        catch (ArtifactException)
        {
            // A kept pin whose manifest is gone or unreadable keeps what it names; the next pull repairs it.
        }
    }

    /// <summary>The manifest and config, checked to describe the same layers; permanent errors name what is wrong.</summary>
    private (ImageManifest Manifest, ImageConfig Config) ReadImage(string manifestDigest)
    {
        if (!Digests.IsValid(manifestDigest))
        {
            throw new ArtifactException($"'{manifestDigest}' is not a sha256 manifest digest", permanent: true);
        }

        byte[] bytes = Blobs.Read(manifestDigest);
        string what = $"manifest {manifestDigest}";
        string? mediaType = MediaTypeOf(bytes, what);
        if (mediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            throw new ArtifactException($"{what} is an image index, not a platform manifest", permanent: true);
        }

        if (mediaType is not (null or MediaTypes.OciManifest or MediaTypes.DockerManifest))
        {
            throw new ArtifactException($"{what} has media type '{mediaType}', not an image manifest", permanent: true);
        }

        var manifest = OciJson.Parse<ImageManifest>(bytes, what);
        RequireDigest(manifest.Config.Digest, what, "config");
        var config = OciJson.Parse<ImageConfig>(Blobs.Read(manifest.Config.Digest), $"config {manifest.Config.Digest}");
        if (config.Rootfs.DiffIds.Count != manifest.Layers.Count)
        {
            throw new ArtifactException(
                $"{what} has {manifest.Layers.Count} layers but its config {manifest.Config.Digest} lists {config.Rootfs.DiffIds.Count} diff_ids",
                permanent: true);
        }

        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            RequireDigest(manifest.Layers[i].Digest, what, $"layer {i}");
            RequireDigest(config.Rootfs.DiffIds[i], $"config {manifest.Config.Digest}", $"diff_id {i}");
        }

        return (manifest, config);
    }

    private async Task UnpackLayerAsync(Descriptor layer, string diffId, CancellationToken ct)
    {
        string final = SnapshotPath(layer.Digest);
        var gate = _layerLocks.GetOrAdd(layer.Digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (System.IO.Directory.Exists(final))
            {
                return;
            }

            string blob = Blobs.PathOf(layer.Digest);
            if (!File.Exists(blob))
            {
                throw new ArtifactException($"layer {layer.Digest} is not in the image store", permanent: false);
            }

            long compressed = new FileInfo(blob).Length;
            Blobs.EnsureSpace(compressed);
            string scratch = Path.Combine(_snapshots, $"{ScratchPrefix}{Guid.NewGuid():N}");
            _activeScratch[scratch] = 0;
            try
            {
                System.IO.Directory.CreateDirectory(scratch);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(scratch, (UnixFileMode)0x1ed);
                }

                var extractor = new LayerExtractor(scratch, layer.Digest, Blobs);
                string actual = await ExtractAsync(extractor, blob, layer, ct).ConfigureAwait(false);
                if (actual != diffId)
                {
                    throw new ArtifactException(
                        $"layer {layer.Digest}: its uncompressed content has digest {actual}, the image config's diff_id is {diffId}",
                        permanent: true);
                }

                if (extractor.DevicesDropped > 0)
                {
                    ImageStoreLog.DevicesDropped(_logger, layer.Digest, extractor.DevicesDropped);
                }

                if (extractor.SetIdStripped > 0)
                {
                    ImageStoreLog.SetIdStripped(_logger, layer.Digest, extractor.SetIdStripped);
                }

                try
                {
                    System.IO.Directory.Move(scratch, final);
                }
                catch (IOException) when (System.IO.Directory.Exists(final))
                {
                    DeleteTree(scratch); // another store on the same directory finished the same layer first
                }

                ImageStoreLog.LayerUnpacked(_logger, layer.Digest, compressed);
            }
            catch (Exception e)
            {
                DeleteTree(scratch);
                ImageStoreLog.LayerFailed(_logger, layer.Digest, e.Message);
                throw;
            }
            finally
            {
                _activeScratch.TryRemove(scratch, out _);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Extracts and returns the uncompressed digest; classifies what goes wrong (bad content: permanent; the disk: transient).</summary>
    private static async Task<string> ExtractAsync(LayerExtractor extractor, string blob, Descriptor layer, CancellationToken ct)
    {
        try
        {
            await using var tar = new HashingReadStream(LayerStreams.OpenUncompressed(blob, layer.MediaType));
            await extractor.ExtractAsync(tar, ct).ConfigureAwait(false);
            return await tar.FinishAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or ZstdSharp.ZstdException)
        {
            // What the content itself gets wrong (a corrupt stream, a malformed header, a name the file system refuses).
            throw new ArtifactException($"layer {layer.Digest} ({layer.MediaType}): not a valid layer tar: {e.Message}", permanent: true, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactException($"layer {layer.Digest}: unpacking failed: {e.Message}", permanent: false, e);
        }
    }

    private string PinPath(string sourceDigest) =>
        Path.Combine(_pins, SourceHex(sourceDigest) ?? throw new FormatException($"'{sourceDigest}' is not a sha256 digest (hex or sha256:hex)"));

    /// <summary>A deployment's digest as hex: desired-state documents carry bare hex, registries <c>sha256:hex</c>.</summary>
    private static string? SourceHex(string digest) =>
        Digests.IsValid(digest) ? Digests.Hex(digest)
        : Digests.IsValid(Digests.FromHex(digest)) ? digest
        : null;

    private static string? MediaTypeOf(byte[] document, string what)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("mediaType", out var type)
                && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new ArtifactException($"{what}: not JSON: {e.Message}", permanent: true, e);
        }
    }

    private static void RequireDigest(string digest, string what, string field)
    {
        if (!Digests.IsValid(digest))
        {
            throw new ArtifactException($"{what}: {field} digest '{digest}' is not sha256:<64 lowercase hex>", permanent: true);
        }
    }

    private static void CreatePrivate(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, Private);
        }
    }

    /// <summary>Bytes in the regular files under <paramref name="directory"/>, never following a symlink.</summary>
    internal static long TreeBytes(string directory)
    {
        long bytes = 0;
        foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(directory))
        {
            uint type = ImageLibc.FileType(entry);
            bytes += type switch
            {
                Statx.Directory => TreeBytes(entry),
                Statx.Regular => new FileInfo(entry).Length,
                _ => 0,
            };
        }

        return bytes;
    }

    /// <summary>Deletes a tree, unlinking symlinks rather than following them (Directory.Delete does the same).</summary>
    internal static void DeleteTree(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>An unpacked image: its manifest digest, its configuration and its snapshot directories, bottom layer first.</summary>
public sealed record LocalImage(string ManifestDigest, ImageConfig Config, IReadOnlyList<string> LayerDirectories);
