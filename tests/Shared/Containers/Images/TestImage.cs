using System.Text.Json;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Tests.Containers.Images;

/// <summary>Which media types an image is written with: the OCI image spec's or Docker schema 2's.</summary>
public enum ImageFormat
{
    Oci,
    Docker,
}

/// <summary>
/// An image to build: layers bottom first, the run defaults of its configuration and its platform. Vary one with
/// <c>with</c>; <see cref="Build"/> writes the config and manifest blobs from the image spec.
/// </summary>
public sealed record TestImage
{
    public IReadOnlyList<TestLayer> Layers { get; init; } = [];

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary><c>NAME=value</c> entries.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public string? StopSignal { get; init; }

    /// <summary>Ports as the config has them: <c>8080/tcp</c>.</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>VOLUME paths as the config has them (keys of <c>config.Volumes</c>).</summary>
    public IReadOnlyList<string>? Volumes { get; init; }

    /// <summary>HEALTHCHECK as docker build writes it (durations in nanoseconds).</summary>
    public ImageHealthcheck? Healthcheck { get; init; }

    public Platform Platform { get; init; } = Platform.Host;

    public ImageFormat Format { get; init; } = ImageFormat.Oci;

    public BuiltImage Build()
    {
        BuiltLayer[] layers = [.. Layers.Select(layer => layer.Build())];
        return Build(layers);
    }

    /// <summary>Builds around layers already built (a cached base layer, or the same layers in two formats).</summary>
    public BuiltImage Build(IReadOnlyList<BuiltLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var config = new ImageConfig
        {
            Architecture = Platform.Architecture,
            Os = Platform.Os,
            Variant = Platform.Variant,
            Config = new ImageRunConfig
            {
                User = User,
                Env = Env,
                Entrypoint = Entrypoint,
                Cmd = Cmd,
                WorkingDir = WorkingDir,
                StopSignal = StopSignal,
                ExposedPorts = ExposedPorts?.ToDictionary(port => port, _ => JsonSerializer.SerializeToElement(new { })),
                Labels = Labels,
                Volumes = Volumes?.ToDictionary(path => path, _ => JsonSerializer.SerializeToElement(new { })),
                Healthcheck = Healthcheck,
            },
            Rootfs = new ImageRootfs { DiffIds = [.. layers.Select(layer => layer.DiffId)] },
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, OciJson.Options);
        string configDigest = TestLayer.Sha256(configBytes);

        var manifest = new ImageManifest
        {
            MediaType = Format == ImageFormat.Oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
            Config = new Descriptor
            {
                MediaType = Format == ImageFormat.Oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig,
                Digest = configDigest,
                Size = configBytes.Length,
            },
            Layers = [.. layers.Select(layer => new Descriptor { MediaType = layer.MediaType(Format), Digest = layer.Digest, Size = layer.Bytes.Length })],
        };
        byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Options);

        var blobs = new Dictionary<string, byte[]> { [configDigest] = configBytes };
        foreach (BuiltLayer layer in layers)
        {
            blobs[layer.Digest] = layer.Bytes;
        }

        return new BuiltImage(manifestBytes, TestLayer.Sha256(manifestBytes), manifest.MediaType, configBytes, configDigest, layers, blobs, Platform, Format);
    }
}

/// <summary>
/// A built image: the manifest (what a registry serves by tag or digest), the config and the layers (its blobs).
/// The <c>Write…</c> methods lay it out as skopeo or <c>docker save</c> would.
/// </summary>
/// <param name="Blobs">The config and every layer by digest (not the manifest).</param>
public sealed record BuiltImage(
    byte[] ManifestBytes,
    string ManifestDigest,
    string ManifestMediaType,
    byte[] ConfigBytes,
    string ConfigDigest,
    IReadOnlyList<BuiltLayer> Layers,
    IReadOnlyDictionary<string, byte[]> Blobs,
    Platform Platform,
    ImageFormat Format)
{
    /// <summary>The manifest's hex digest: what a desired-state <c>sha256</c> pins an image by.</summary>
    public string PinnedSha256 => Digests.Hex(ManifestDigest);

    /// <summary>The descriptor an index or an OCI layout's index.json names this image by.</summary>
    public Descriptor Descriptor(bool withPlatform = false) => new()
    {
        MediaType = ManifestMediaType,
        Digest = ManifestDigest,
        Size = ManifestBytes.Length,
        Platform = withPlatform ? Platform : null,
    };

    /// <summary>Every blob including the manifest itself.</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> AllBlobs() => Blobs.Append(new(ManifestDigest, ManifestBytes));

    /// <summary>An OCI image layout directory: oci-layout, index.json (naming the manifest, with <paramref name="refName"/> as its ref.name) and blobs/sha256/.</summary>
    public void WriteOciLayout(string directory, string? refName = null) =>
        ImageLayouts.WriteOciLayout(directory, Descriptor(), AllBlobs(), refName);

    /// <summary>An oci-archive tarball: the OCI layout in an uncompressed tar.</summary>
    public void WriteOciArchive(string path, string? refName = null) =>
        ImageLayouts.WriteOciArchive(path, Descriptor(), AllBlobs(), refName);

    /// <summary>A <c>docker save</c> tarball (image spec v1.2): manifest.json, &lt;config&gt;.json, &lt;layer&gt;/layer.tar (uncompressed), repositories.</summary>
    public void WriteDockerSave(string path, string repoTag) => ImageLayouts.WriteDockerSave(path, this, repoTag);
}

/// <summary>An image index (OCI) or manifest list (Docker) over several built images.</summary>
public sealed record BuiltIndex(byte[] Bytes, string Digest, string MediaType, IReadOnlyList<BuiltImage> Images)
{
    public string PinnedSha256 => Digests.Hex(Digest);

    public Descriptor Descriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Bytes.Length };

    /// <summary>Every blob: the index, each image's manifest, config and layers.</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> AllBlobs() =>
        Images.SelectMany(image => image.AllBlobs()).DistinctBy(blob => blob.Key).Append(new(Digest, Bytes));

    /// <summary>An OCI layout whose index.json names this index (a nested index, as <c>skopeo copy --all</c> writes).</summary>
    public void WriteOciLayout(string directory, string? refName = null) =>
        ImageLayouts.WriteOciLayout(directory, Descriptor(), AllBlobs(), refName);

    public void WriteOciArchive(string path, string? refName = null) =>
        ImageLayouts.WriteOciArchive(path, Descriptor(), AllBlobs(), refName);
}

/// <summary>Builds indexes over built images.</summary>
public static class TestIndex
{
    /// <summary>An index in the format of the first image (OCI index or Docker manifest list), one entry per image with its platform.</summary>
    public static BuiltIndex Of(params BuiltImage[] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return images.Length == 0 ? throw new ArgumentException("an index needs an image", nameof(images)) : Of(images[0].Format, images);
    }

    public static BuiltIndex Of(ImageFormat format, params BuiltImage[] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var index = new ImageIndex
        {
            MediaType = format == ImageFormat.Oci ? MediaTypes.OciIndex : MediaTypes.DockerManifestList,
            Manifests = [.. images.Select(image => image.Descriptor(withPlatform: true))],
        };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(index, OciJson.Options);
        return new BuiltIndex(bytes, TestLayer.Sha256(bytes), index.MediaType, images);
    }
}
