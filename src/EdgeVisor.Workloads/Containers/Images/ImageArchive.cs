namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>Imports <c>oci-archive</c> and <c>docker save</c> tarballs (offline devices) into a <see cref="BlobStore"/>.</summary>
public static class ImageArchive
{
    /// <summary>
    /// Imports the image for <paramref name="platform"/> from <paramref name="tarball"/> (if it holds several
    /// images, the one tagged <paramref name="name"/>); verifies every blob; returns its manifest digest. Throws
    /// <see cref="Downloads.ArtifactException"/> (permanent) naming what is wrong with the archive.
    /// </summary>
    public static Task<string> ImportAsync(string tarball, Platform platform, string? name, BlobStore blobs, CancellationToken ct) =>
        throw new NotImplementedException("issue 6: store helper");
}
