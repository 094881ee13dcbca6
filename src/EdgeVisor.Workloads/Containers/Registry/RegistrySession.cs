using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Requests to one repository of one registry for one pull: the distribution-spec URLs, authentication answered
/// through the shared <see cref="RegistryAuthenticator"/>, redirects followed without the Authorization header
/// (blob storage elsewhere must not see registry credentials), a deadline per request, and every answer that is
/// not content turned into a classified <see cref="ArtifactException"/>.
/// </summary>
internal sealed class RegistrySession
{
    private const int MaxRedirects = 5;
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly string[] ManifestMediaTypes =
        [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;
    private readonly TimeSpan _requestTimeout;

    public RegistrySession(HttpClient http, RegistryAuthenticator auth, RegistryOptions options, ImageReference reference)
    {
        _http = http;
        _auth = auth;
        _requestTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        Registry = reference.Registry;
        Repository = reference.Repository;
        string scheme = PlainHttp(reference.Registry, options) ? "http" : "https";
        RepositoryUri = new Uri($"{scheme}://{reference.Registry}/v2/{reference.Repository}/");
    }

    public string Registry { get; }

    public string Repository { get; }

    /// <summary><c>http(s)://registry/v2/repository/</c>.</summary>
    public Uri RepositoryUri { get; }

    /// <summary>How long a blob may go without a byte before its download counts as stalled.</summary>
    public TimeSpan StallTimeout => _requestTimeout;

    /// <summary>Loopback registries and those listed as insecure are spoken to in plain HTTP; all others in HTTPS.</summary>
    public static bool PlainHttp(string registry, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        string host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.LastIndexOf(':') is var colon and > 0 ? registry[..colon] : registry;
        bool loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
        return loopback || options.Insecure.Any(entry => entry.Equals(registry, StringComparison.OrdinalIgnoreCase) || entry.Equals(host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>GETs the manifest or index <paramref name="digest"/> and checks that its bytes have that digest.</summary>
    public async Task<byte[]> GetManifestAsync(string digest, CancellationToken ct)
    {
        string what = $"manifest {digest} of {Repository}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(RepositoryUri, "manifests/" + digest));
        foreach (string mediaType in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_requestTimeout);
        byte[] body;
        try
        {
            using HttpResponseMessage response = await SendAsync(request, what, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw RegistryErrors.Refused(Registry, what, response);
            }

            if (response.Content.Headers.ContentLength > MaxManifestBytes)
            {
                throw new ArtifactException($"registry {Registry}: {what}: {response.Content.Headers.ContentLength} bytes is more than a manifest may have", permanent: true);
            }

            body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw RegistryErrors.TimedOut(Registry, what, _requestTimeout);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw RegistryErrors.Unreachable(Registry, what, e);
        }

        string actual = Digests.Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(body));
        return actual == digest
            ? body
            : throw new ArtifactException($"registry {Registry}: {what}: the registry sent content with digest {actual}", permanent: true);
    }

    /// <summary>The URL of blob <paramref name="digest"/>.</summary>
    public Uri BlobUri(string digest) => new(RepositoryUri, "blobs/" + digest);

    /// <summary>
    /// Sends <paramref name="request"/> (headers only) with the cached authorization, answers one 401 challenge,
    /// follows redirects; returns a 2xx or 416 response and throws a classified error for anything else.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        string scope = RegistryAuthenticator.PullScope(Repository);
        request.Headers.Authorization ??= _auth.Cached(Registry, scope);
        HttpResponseMessage response = await SendOnceAsync(request, what, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            IReadOnlyList<AuthChallenge> challenges = AuthChallenge.From(response);
            response.Dispose();
            using HttpRequestMessage retry = Copy(request, request.RequestUri!);
            retry.Headers.Authorization = await _auth.AnswerAsync(Registry, Repository, challenges, ct).ConfigureAwait(false);
            response = await SendOnceAsync(retry, what, ct).ConfigureAwait(false);
        }

        for (int hops = 0; IsRedirect(response.StatusCode) && response.Headers.Location is { } location; hops++)
        {
            Uri target = new(response.RequestMessage?.RequestUri ?? request.RequestUri!, location);
            response.Dispose();
            if (hops == MaxRedirects)
            {
                throw new ArtifactException($"registry {Registry}: {what}: more than {MaxRedirects} redirects", permanent: true);
            }

            using HttpRequestMessage redirected = Copy(request, target); // no Authorization: it was for the registry
            response = await SendOnceAsync(redirected, what, ct).ConfigureAwait(false);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return response;
        }

        using (response)
        {
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => RegistryErrors.NotFound(Registry, what),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RegistryErrors.Unauthorized(Registry, Repository, $"HTTP {(int)response.StatusCode}"),
                _ => RegistryErrors.Refused(Registry, what, response),
            };
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_requestTimeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw RegistryErrors.TimedOut(Registry, what, _requestTimeout);
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.Unreachable(Registry, what, e);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The same GET or HEAD (Accept, Range) to <paramref name="target"/>, without Authorization.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request, Uri target)
    {
        var copy = new HttpRequestMessage(request.Method, target);
        foreach (var header in request.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
