using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// Where a container workload's image comes from: an <c>oci://</c> registry reference, or a tarball (http(s),
/// file:// or a path, its <c>#name</c> fragment choosing one image of several), pinned by the artifact's sha256.
/// </summary>
internal sealed record ImageSource(string Digest, ImageReference? Reference, string? ArchiveName, string? Error)
{
    public static bool IsRegistry(string url) => url.StartsWith(ImageReference.Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The digest a deployment pins the image by (the store's pin key): "sha256:" + the artifact's sha256.</summary>
    public static string DigestOf(WorkloadSpec spec) => "sha256:" + spec.Artifact.Sha256.ToLowerInvariant();

    public static ImageSource Of(WorkloadSpec spec)
    {
        string url = spec.Artifact.Url;
        string digest = DigestOf(spec);
        if (IsRegistry(url))
        {
            try
            {
                return new ImageSource(digest, ImageReference.Parse(url), null, null);
            }
            catch (FormatException e)
            {
                return new ImageSource(digest, null, null, $"artifact.url: {e.Message}");
            }
        }

        int hash = url.LastIndexOf('#');
        string location = hash < 0 ? url : url[..hash];
        string? name = hash < 0 ? null : Uri.UnescapeDataString(url[(hash + 1)..]);
        bool path = location.StartsWith('/');
        bool fetched = Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file";
        return path || fetched
            ? new ImageSource(digest, null, string.IsNullOrEmpty(name) ? null : name, null)
            : new ImageSource(digest, null, null, $"artifact.url: \"{url}\" is neither an {ImageReference.Scheme} image reference nor an image tarball (http(s), file:// or an absolute path)");
    }
}
