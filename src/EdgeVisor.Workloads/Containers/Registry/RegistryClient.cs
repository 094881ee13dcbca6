#pragma warning disable CS9113 // a contract stub: the issue-6 helper that implements it removes this line
using EdgeVisor.Workloads.Containers.Images;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Pulls images from OCI distribution registries (Docker Hub, GHCR, Harbor, Debian's docker-registry): anonymous,
/// basic and bearer-token authentication, indexes resolved to the device's platform, blobs downloaded resumably
/// into a <see cref="BlobStore"/> and verified against their digests.
/// </summary>
public sealed class RegistryClient(HttpClient http, RegistryOptions options, ILogger<RegistryClient> logger)
{
    /// <summary>
    /// Pulls <paramref name="reference"/>, trusting only <paramref name="pinnedDigest"/> (the digest of the manifest
    /// or of the index the reference names); from an index, the manifest for <paramref name="platform"/>. Stores the
    /// index (if any), the manifest, the config and every layer in <paramref name="blobs"/>; returns the manifest's
    /// digest. Throws <see cref="Downloads.ArtifactException"/> (permanent: not found, unauthorized, digest mismatch,
    /// no manifest for the platform; transient: connection lost, 5xx, disk full).
    /// </summary>
    public Task<string> PullAsync(ImageReference reference, string pinnedDigest, Platform platform, BlobStore blobs, IProgress<long>? progress, CancellationToken ct) =>
        throw new NotImplementedException("issue 6: registry helper");
}
