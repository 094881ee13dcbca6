using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Agent.Artifacts;

/// <summary>
/// Where an artifact URL points: an <c>http://</c>/<c>https://</c> resource, or a local file given as
/// <c>file:///abs/path</c> or <c>/abs/path</c> (air-gapped devices: a USB stick, an image baked into the OS).
/// </summary>
internal sealed record ArtifactSource(Uri? Http, string? LocalPath)
{
    /// <summary>Parses <paramref name="url"/>; throws a permanent <see cref="ArtifactException"/> for anything else.</summary>
    public static ArtifactSource Parse(string url)
    {
        if (url.StartsWith('/'))
        {
            return new ArtifactSource(null, Path.GetFullPath(url));
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            if (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            {
                return new ArtifactSource(uri, null);
            }

            if (uri.IsFile && string.IsNullOrEmpty(uri.Host))
            {
                return new ArtifactSource(null, Path.GetFullPath(uri.LocalPath));
            }
        }

        throw new ArtifactException($"artifact {url}: not an http(s) URL, a file:/// URL or an absolute path", permanent: true);
    }
}
