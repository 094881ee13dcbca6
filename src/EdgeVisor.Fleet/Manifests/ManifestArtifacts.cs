using System.Security.Cryptography;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Manifests;

/// <summary>
/// Turns an artifact as an operator writes it (a path relative to the manifest, an absolute path, a
/// <c>file://</c> URL, an http(s) URL with its sha256, or an <c>oci://</c> image reference pinned by a digest)
/// into the <see cref="ArtifactRef"/> a device trusts: local files get an absolute path, their digest and size
/// computed here, and checked against any the manifest gives.
/// </summary>
/// <param name="manifestDirectory">What relative paths resolve against.</param>
/// <param name="pinImage">
/// Looks up the digest a registry image's tag names now (<c>oci://host/repo:tag</c> → 64 hex digits), or null:
/// a tag alone is then refused. Throws with a one-line reason when the registry cannot say.
/// </param>
internal sealed class ManifestArtifacts(string manifestDirectory, Func<string, string>? pinImage)
{
    private const string ImageScheme = "oci://";
    private const string DigestMarker = "@sha256:";

    public ArtifactRef Resolve(string url, string? sha256, long? size, string path, Func<string, string, ManifestException> error)
    {
        if (url.StartsWith(ImageScheme, StringComparison.OrdinalIgnoreCase))
        {
            return ResolveImage(url, sha256, path, error, pinImage);
        }

        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (sha256 is null)
            {
                throw error(path, $"'{url}' is downloaded, so it needs a sha256 (write {{ \"url\": \"{url}\", \"sha256\": \"…\" }})");
            }

            return new ArtifactRef { Url = url, Sha256 = sha256, Size = size };
        }

        string local;
        if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                throw error(path, $"'{url}' is not a valid file:// URL");
            }

            local = uri.LocalPath;
        }
        else if (url.Contains("://", StringComparison.Ordinal))
        {
            throw error(path, $"'{url}' is neither a file path nor an http(s) URL");
        }
        else
        {
            local = Path.GetFullPath(url, manifestDirectory);
        }

        if (!File.Exists(local))
        {
            throw error(path, $"{local}: no such file");
        }

        string actual;
        long length;
        try
        {
            using var stream = File.OpenRead(local);
            length = stream.Length;
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw error(path, $"{local}: cannot read ({e.Message})");
        }

        if (sha256 is not null && sha256 != actual)
        {
            throw error(path + ".sha256", $"{local} has sha256 {actual}, not {sha256} as the manifest says");
        }

        if (size is not null && size != length)
        {
            throw error(path + ".size", $"{local} is {length} bytes, not {size} as the manifest says");
        }

        return new ArtifactRef { Url = local, Sha256 = actual, Size = length };
    }

    /// <summary>
    /// A registry image is pinned by the digest of its manifest or index: the one in the reference
    /// (<c>…@sha256:hex</c>), the manifest's sha256, or both when they agree. A tag alone pins nothing (it moves):
    /// it is looked up now, when a lookup is given, so the device runs what the tag named at deploy time.
    /// </summary>
    private static ArtifactRef ResolveImage(string url, string? sha256, string path, Func<string, string, ManifestException> error, Func<string, string>? pinImage)
    {
        int marker = url.LastIndexOf(DigestMarker, StringComparison.OrdinalIgnoreCase);
        string? inReference = marker < 0 ? null : url[(marker + DigestMarker.Length)..].ToLowerInvariant();
        if (inReference is not null && !Sha256Hex.IsValid(inReference))
        {
            throw error(path, $"'{url}': the digest after @sha256: is not 64 hex digits");
        }

        if (inReference is not null && sha256 is not null && inReference != sha256)
        {
            throw error(path + ".sha256", $"{sha256} is not the digest in '{url}'");
        }

        string digest = inReference ?? sha256 ?? (pinImage is null ? null : Pin(url, path, error, pinImage))
            ?? throw error(path, $"'{url}' names a tag, which can move: pin the image by its digest (oci://…@sha256:<hex>, or {{ \"url\": \"{url}\", \"sha256\": \"<hex>\" }}; `skopeo inspect --format '{{{{.Digest}}}}' docker://…` prints it)");
        return new ArtifactRef { Url = url, Sha256 = digest };
    }

    private static string Pin(string url, string path, Func<string, string, ManifestException> error, Func<string, string> pinImage)
    {
        string digest;
        try
        {
            digest = pinImage(url);
        }
        catch (Exception e) when (e is not ManifestException and not OperationCanceledException)
        {
            throw error(path, $"'{url}': cannot look up the digest of its tag: {e.Message}");
        }

        return Sha256Hex.IsValid(digest)
            ? digest.ToLowerInvariant()
            : throw error(path, $"'{url}': the digest looked up for its tag, '{digest}', is not 64 hex digits");
    }
}
