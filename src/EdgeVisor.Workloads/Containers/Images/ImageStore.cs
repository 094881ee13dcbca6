#pragma warning disable CS9113 // a contract stub: the issue-6 helper that implements it removes this line
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// The device's images: a <see cref="BlobStore"/>, each layer unpacked once into a read-only snapshot directory
/// (whiteouts turned into overlayfs whiteouts, unsafe entries neutralised), and pins from what a deployment names
/// (a registry reference's pinned digest, a tarball's sha256) to the platform manifest it resolved to.
/// </summary>
public sealed class ImageStore(string directory, long reserveBytes, ILogger<ImageStore> logger)
{
    public BlobStore Blobs => throw new NotImplementedException("issue 6: store helper");

    /// <summary>Records that <paramref name="sourceDigest"/> resolved to <paramref name="manifestDigest"/> on this device.</summary>
    public void Pin(string sourceDigest, string manifestDigest) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>The manifest <paramref name="sourceDigest"/> resolved to, or null.</summary>
    public string? ManifestFor(string sourceDigest) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>Unpacks every layer of the manifest (already in <see cref="Blobs"/>) not yet unpacked; returns the image.</summary>
    public Task<LocalImage> UnpackAsync(string manifestDigest, CancellationToken ct) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>The image when its manifest, config and every snapshot are present; null otherwise. Cheap.</summary>
    public LocalImage? Find(string manifestDigest) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>Deletes pins, blobs and snapshots that no pin of <paramref name="keepSourceDigests"/> reaches; returns bytes freed.</summary>
    public long CollectGarbage(IReadOnlySet<string> keepSourceDigests) => throw new NotImplementedException("issue 6: store helper");
}

/// <summary>An unpacked image: its manifest digest, its configuration and its snapshot directories, bottom layer first.</summary>
public sealed record LocalImage(string ManifestDigest, ImageConfig Config, IReadOnlyList<string> LayerDirectories);
