using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// What <c>fleet deploy</c> pins an image given by tag to: the digest of the manifest or index the tag names in
/// its registry now (the same client the agent pulls with, the operator's registry logins).
/// </summary>
internal sealed class ImageTagLookup : IDisposable
{
    private readonly RegistryOptions _options = RegistryLogins.Read();
    private readonly HttpClient _http;
    private readonly RegistryClient _registries;

    public ImageTagLookup()
    {
        _http = RegistryClient.CreateHttpClient(_options);
        _registries = new RegistryClient(_http, _options, NullLogger<RegistryClient>.Instance);
    }

    /// <summary><c>oci://host/repo:tag</c> → 64 hex digits; throws with a one-line reason.</summary>
    public string Pin(string url)
    {
        var reference = ImageReference.Parse(url);
        string digest = _registries.ResolveAsync(reference, CancellationToken.None).GetAwaiter().GetResult();
        return Digests.Hex(digest);
    }

    public void Dispose() => _http.Dispose();
}
