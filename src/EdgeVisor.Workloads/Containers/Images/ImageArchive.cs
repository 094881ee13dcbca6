using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>Imports <c>oci-archive</c> and <c>docker save</c> tarballs (offline devices) into a <see cref="BlobStore"/>.</summary>
public static class ImageArchive
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>
    /// Imports the image for <paramref name="platform"/> from <paramref name="tarball"/> (if it holds several
    /// images, the one tagged <paramref name="name"/>); verifies every blob; returns its manifest digest. Throws
    /// <see cref="Downloads.ArtifactException"/> (permanent) naming what is wrong with the archive; a failed import
    /// leaves no blob it added behind.
    /// </summary>
    public static async Task<string> ImportAsync(string tarball, Platform platform, string? name, BlobStore blobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(blobs);
        if (File.Exists(tarball))
        {
            blobs.EnsureSpace(new FileInfo(tarball).Length);
        }

        using var archive = await ArchiveFile.OpenAsync(tarball, blobs, ct).ConfigureAwait(false);
        var import = new BlobImport(archive, blobs);
        try
        {
            return archive.Contains("index.json") && archive.Contains("oci-layout")
                ? await ImportOciAsync(archive, import, platform, name, ct).ConfigureAwait(false)
                : archive.Contains("manifest.json")
                ? await ImportDockerSaveAsync(archive, import, platform, name, ct).ConfigureAwait(false)
                : throw archive.Bad("neither an oci-archive (oci-layout, index.json) nor a docker save (manifest.json)");
        }
        catch
        {
            import.RollBack();
            throw;
        }
    }

    private static async Task<string> ImportOciAsync(ArchiveFile archive, BlobImport import, Platform platform, string? name, CancellationToken ct)
    {
        var index = OciJson.Parse<ImageIndex>(archive.ReadSmall("index.json"), $"image archive {archive.Name}: index.json");
        var candidates = index.Manifests.ToList();
        if (name is not null)
        {
            candidates = candidates.Where(d => d.Annotations?.GetValueOrDefault(RefNameAnnotation) is { } refName && NameMatches(name, refName)).ToList();
            if (candidates.Count == 0)
            {
                throw archive.Bad($"no image named '{name}' (it has: {RefNames(index.Manifests)})");
            }
        }

        var seen = new List<string>();
        var matches = candidates.SelectMany(d => ForPlatform(archive, d, platform, seen, depth: 0)).DistinctBy(m => m.Descriptor.Digest).ToList();
        if (matches.Count == 0)
        {
            throw archive.Bad($"no image for {platform} (it has: {string.Join(", ", seen.Distinct())})");
        }

        if (matches.Count > 1)
        {
            throw archive.Bad($"several images for {platform}; name one of: {RefNames(candidates)}");
        }

        var (descriptor, manifest) = matches[0];
        foreach (string digest in new[] { descriptor.Digest, manifest.Config.Digest }.Concat(manifest.Layers.Select(l => l.Digest)))
        {
            if (!Digests.IsValid(digest) || !archive.Contains(ArchiveFile.BlobName(digest)))
            {
                throw archive.Bad($"blob {digest} is missing");
            }
        }

        foreach (string digest in new[] { manifest.Config.Digest }.Concat(manifest.Layers.Select(l => l.Digest)).Append(descriptor.Digest))
        {
            await import.AddAsync(ArchiveFile.BlobName(digest), digest, ct).ConfigureAwait(false);
        }

        return descriptor.Digest;
    }

    /// <summary>The manifests under <paramref name="descriptor"/> (itself, or an index's entries, recursively) that run on <paramref name="platform"/>.</summary>
    private static IEnumerable<(Descriptor Descriptor, ImageManifest Manifest)> ForPlatform(
        ArchiveFile archive, Descriptor descriptor, Platform platform, List<string> seen, int depth)
    {
        if (depth > 4 || !Digests.IsValid(descriptor.Digest))
        {
            throw archive.Bad($"index entry '{descriptor.Digest}' is not a sha256 digest or nests too deep");
        }

        if (descriptor.Platform is { } declared)
        {
            seen.Add(declared.ToString());
            if (!Runs(platform, declared.Os, declared.Architecture, declared.Variant))
            {
                yield break;
            }
        }

        byte[] bytes = archive.ReadBlob(descriptor.Digest);
        string what = $"image archive {archive.Name}: {descriptor.Digest}";
        if (descriptor.MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            foreach (var child in OciJson.Parse<ImageIndex>(bytes, what).Manifests)
            {
                foreach (var match in ForPlatform(archive, child, platform, seen, depth + 1))
                {
                    yield return match;
                }
            }

            yield break;
        }

        var manifest = OciJson.Parse<ImageManifest>(bytes, what);
        if (descriptor.Platform is null)
        {
            var config = OciJson.Parse<ImageConfig>(archive.ReadBlob(manifest.Config.Digest), $"image archive {archive.Name}: config {manifest.Config.Digest}");
            seen.Add($"{config.Os}/{config.Architecture}");
            if (!Runs(platform, config.Os, config.Architecture, config.Variant))
            {
                yield break;
            }
        }

        yield return (descriptor, manifest);
    }

    private static async Task<string> ImportDockerSaveAsync(ArchiveFile archive, BlobImport import, Platform platform, string? name, CancellationToken ct)
    {
        var images = OciJson.Parse<List<DockerSaveImage>>(archive.ReadSmall("manifest.json"), $"image archive {archive.Name}: manifest.json");
        string tags = string.Join(", ", images.SelectMany(i => i.RepoTags ?? []).DefaultIfEmpty("none"));
        var chosen = name is null ? images : images.Where(i => (i.RepoTags ?? []).Any(t => NameMatches(name, t))).ToList();
        var image = chosen.Count switch
        {
            1 => chosen[0],
            0 when name is not null => throw archive.Bad($"no image tagged '{name}' (it has: {tags})"),
            0 => throw archive.Bad("manifest.json lists no image"),
            _ => throw archive.Bad($"holds {chosen.Count} images; name one of: {tags}"),
        };

        byte[] configBytes = archive.ReadSmall(image.Config);
        string configDigest = Digests.Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(configBytes));
        if (DigestInName(image.Config) is { } named && named != configDigest)
        {
            throw archive.Bad($"'{image.Config}' has digest {configDigest}");
        }

        var config = OciJson.Parse<ImageConfig>(configBytes, $"image archive {archive.Name}: {image.Config}");
        if (!Runs(platform, config.Os, config.Architecture, config.Variant))
        {
            throw archive.Bad($"its image is {config.Os}/{config.Architecture}, not {platform}");
        }

        if (config.Rootfs.DiffIds.Count != image.Layers.Count)
        {
            throw archive.Bad($"'{image.Config}' lists {config.Rootfs.DiffIds.Count} diff_ids for {image.Layers.Count} layers");
        }

        var layers = new List<Descriptor>();
        for (int i = 0; i < image.Layers.Count; i++)
        {
            string path = image.Layers[i];
            string diffId = config.Rootfs.DiffIds[i];
            var compression = import.Compression(path);

            // docker save writes layers uncompressed, so a layer's digest is its diff_id: checked while it is copied.
            string? expected = DigestInName(path) ?? (compression == BlobCompression.None ? diffId : null);
            if (compression == BlobCompression.None && expected != diffId)
            {
                throw archive.Bad($"layer '{path}' is named {expected}, the config's diff_id is {diffId}");
            }

            string digest = await import.AddAsync(path, expected, ct).ConfigureAwait(false);
            layers.Add(new Descriptor { MediaType = LayerStreams.MediaTypeOf(compression), Digest = digest, Size = archive.LengthOf(path) });
        }

        await import.AddBytesAsync(configBytes, configDigest, ct).ConfigureAwait(false);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = layers,
        };
        byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Options);
        return await import.AddBytesAsync(manifestBytes, null, ct).ConfigureAwait(false);
    }

    /// <summary>Whether an image for <paramref name="os"/>/<paramref name="architecture"/> runs on <paramref name="platform"/> (an unstated variant matches any).</summary>
    private static bool Runs(Platform platform, string? os, string? architecture, string? variant) =>
        os == platform.Os && architecture == platform.Architecture
        && (platform.Variant is null || variant is null || variant == platform.Variant);

    /// <summary><paramref name="wanted"/> names <paramref name="tag"/>: equal, the same tag of a fuller name, or (OCI ref.name) the tag alone.</summary>
    private static bool NameMatches(string wanted, string tag) =>
        wanted == tag
        || tag.EndsWith("/" + wanted, StringComparison.Ordinal)
        || (!tag.Contains(':', StringComparison.Ordinal) && wanted.EndsWith(":" + tag, StringComparison.Ordinal));

    private static string RefNames(IEnumerable<Descriptor> descriptors) =>
        string.Join(", ", descriptors.Select(d => d.Annotations?.GetValueOrDefault(RefNameAnnotation) ?? d.Digest));

    /// <summary>The digest a docker-save path states (<c>blobs/sha256/&lt;hex&gt;</c> or <c>&lt;hex&gt;.json</c>), if any.</summary>
    private static string? DigestInName(string path)
    {
        string hex = Path.GetFileNameWithoutExtension(path);
        return Path.GetExtension(path) is "" or ".json" && Digests.IsValid(Digests.FromHex(hex)) ? Digests.FromHex(hex) : null;
    }

    /// <summary>One image of a docker save's manifest.json.</summary>
    private sealed record DockerSaveImage
    {
        [JsonPropertyName("Config")]
        public required string Config { get; init; }

        [JsonPropertyName("RepoTags")]
        public IReadOnlyList<string>? RepoTags { get; init; }

        [JsonPropertyName("Layers")]
        public required IReadOnlyList<string> Layers { get; init; }
    }

    /// <summary>Copies an archive's blobs into the store, remembering the ones it added so a failed import can take them back.</summary>
    private sealed class BlobImport(ArchiveFile archive, BlobStore blobs)
    {
        private readonly List<string> _added = [];

        public BlobCompression Compression(string path)
        {
            Span<byte> head = stackalloc byte[4];
            using var stream = archive.Open(path);
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return head[..read] is [0x1f, 0x8b, ..] ? BlobCompression.Gzip
                : head[..read] is [0x28, 0xb5, 0x2f, 0xfd] ? BlobCompression.Zstd
                : BlobCompression.None;
        }

        public async Task<string> AddAsync(string path, string? expected, CancellationToken ct)
        {
            bool present = expected is not null && blobs.Contains(expected);
            string digest;
            try
            {
                await using var content = archive.Open(path);
                digest = await blobs.AddAsync(content, expected, $"image archive {archive.Name}: '{path}'", ct).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw archive.Bad($"'{path}' is cut short: {e.Message}");
            }

            Remember(digest, present);
            return digest;
        }

        public async Task<string> AddBytesAsync(byte[] content, string? expected, CancellationToken ct)
        {
            string digest = expected ?? Digests.Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));
            bool present = blobs.Contains(digest);
            using var stream = new MemoryStream(content, writable: false);
            await blobs.AddAsync(stream, digest, $"image archive {archive.Name}", ct).ConfigureAwait(false);
            Remember(digest, present);
            return digest;
        }

        public void RollBack()
        {
            foreach (string digest in _added)
            {
                blobs.Delete(digest);
            }
        }

        private void Remember(string digest, bool wasPresent)
        {
            if (!wasPresent && !_added.Contains(digest))
            {
                _added.Add(digest);
            }
        }
    }
}
