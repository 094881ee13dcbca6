using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>The media types of the OCI image spec and their Docker schema 2 equivalents, which registries and <c>docker save</c> still produce.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
}

/// <summary>A content descriptor: what a manifest or index points at. <see cref="Digest"/> is <c>sha256:&lt;hex&gt;</c>.</summary>
public sealed record Descriptor
{
    public required string MediaType { get; init; }

    public required string Digest { get; init; }

    public required long Size { get; init; }

    /// <summary>Set on the entries of an index.</summary>
    public Platform? Platform { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>An OS/architecture pair as images name them (<c>linux/arm64</c>, <c>linux/arm/v7</c>, <c>linux/amd64</c>).</summary>
public sealed record Platform
{
    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public string? Variant { get; init; }

    /// <summary>The platform of the machine this process runs on: linux/arm64 on a Raspberry Pi 4/5.</summary>
    public static Platform Host { get; } = new()
    {
        Os = "linux",
        Architecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm or System.Runtime.InteropServices.Architecture.Armv6 => "arm",
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            var other => other.ToString().ToLowerInvariant(),
        },
        Variant = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm => "v7",
            System.Runtime.InteropServices.Architecture.Armv6 => "v6",
            _ => null,
        },
    };

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

/// <summary>An image index (OCI) or manifest list (Docker): one manifest per platform.</summary>
public sealed record ImageIndex
{
    public int SchemaVersion { get; init; } = 2;

    public string? MediaType { get; init; }

    public required IReadOnlyList<Descriptor> Manifests { get; init; }
}

/// <summary>An image manifest (OCI or Docker schema 2): the config blob and the layers, bottom first.</summary>
public sealed record ImageManifest
{
    public int SchemaVersion { get; init; } = 2;

    public string? MediaType { get; init; }

    public required Descriptor Config { get; init; }

    public required IReadOnlyList<Descriptor> Layers { get; init; }
}

/// <summary>The image configuration blob: platform, run defaults and the uncompressed digests of the layers.</summary>
public sealed record ImageConfig
{
    public string? Architecture { get; init; }

    public string? Os { get; init; }

    public string? Variant { get; init; }

    /// <summary>The defaults a container of this image runs with (absent in some minimal images).</summary>
    public ImageRunConfig? Config { get; init; }

    public required ImageRootfs Rootfs { get; init; }
}

/// <summary>The <c>config</c> section of an image configuration (the names are the spec's, capitalised).</summary>
public sealed record ImageRunConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    [JsonPropertyName("ExposedPorts")]
    public IReadOnlyDictionary<string, JsonElement>? ExposedPorts { get; init; }

    [JsonPropertyName("Volumes")]
    public IReadOnlyDictionary<string, JsonElement>? Volumes { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Docker's HEALTHCHECK (not in the OCI spec, but docker build, buildah and kaniko write it).</summary>
    [JsonPropertyName("Healthcheck")]
    public ImageHealthcheck? Healthcheck { get; init; }
}

/// <summary>
/// <c>config.Healthcheck</c> as written: <see cref="Test"/> is <c>["CMD", arg…]</c>, <c>["CMD-SHELL", command]</c> or
/// <c>["NONE"]</c>; durations are nanoseconds and 0 (or absent) means the default. Checked and resolved by
/// <see cref="Runtime.ImageHealthCheck"/>.
/// </summary>
public sealed record ImageHealthcheck
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    public long Interval { get; init; }

    [JsonPropertyName("Timeout")]
    public long Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    public long StartPeriod { get; init; }

    [JsonPropertyName("Retries")]
    public int Retries { get; init; }
}

/// <summary><c>rootfs</c>: the layers' uncompressed (diff) digests, bottom first.</summary>
public sealed record ImageRootfs
{
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public required IReadOnlyList<string> DiffIds { get; init; }
}

/// <summary>JSON options for image-spec documents: camelCase names, unknown fields ignored, nulls left out.</summary>
public static class OciJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Parses a document; throws <see cref="Downloads.ArtifactException"/> (permanent) naming <paramref name="what"/> when it is not one.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException("null document");
        }
        catch (JsonException e)
        {
            throw new Downloads.ArtifactException($"{what}: not a valid {typeof(T).Name}: {e.Message}", permanent: true, e);
        }
    }
}
