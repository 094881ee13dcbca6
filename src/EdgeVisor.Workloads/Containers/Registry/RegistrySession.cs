using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Requests to one repository of one registry for one pull: the distribution-spec URLs, authentication answered
/// through the shared <see cref="RegistryAuthenticator"/>, redirects followed without the Authorization header
/// (blob storage elsewhere must not see registry credentials), a deadline per request, and every answer that is
/// not content turned into a classified <see cref="ArtifactException"/>.
/// </summary>
/// <remarks>
/// HTTPS first, as Docker does: a registry falls back to plain HTTP only when it is on loopback or listed as
/// insecure, and only when its server does not speak TLS at all (<see cref="TlsDetection"/>); a refused certificate
/// is never a reason to fall back. The scheme that worked is kept for the rest of the pull.
/// </remarks>
internal sealed partial class RegistrySession
{
    private const int MaxRedirects = 5;
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly string[] ManifestMediaTypes =
        [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    private readonly HttpClient _http;
    private readonly HttpClient _registryHttp;
    private readonly RegistryAuthenticator _auth;
    private readonly TimeSpan _requestTimeout;
    private readonly bool _mayUsePlainHttp;
    private readonly ILogger _logger;
    private volatile bool _plainHttp;

    /// <param name="http">For the registry and everything it redirects to.</param>
    /// <param name="unverified">For an insecure registry itself (not where it redirects): certificates unchecked.</param>
    public RegistrySession(HttpClient http, HttpClient? unverified, RegistryAuthenticator auth, RegistryOptions options, ImageReference reference, ILogger logger)
    {
        _http = http;
        _auth = auth;
        _logger = logger;
        _requestTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        Registry = reference.Registry;
        Repository = reference.Repository;
        bool insecure = options.IsInsecure(reference.Registry);
        _registryHttp = insecure && unverified is not null ? unverified : http;
        _mayUsePlainHttp = insecure || RegistryHost.IsLoopback(reference.Registry);
    }

    public string Registry { get; }

    public string Repository { get; }

    /// <summary><c>https://registry/v2/repository/</c>, or <c>http://…</c> once the registry turned out not to speak TLS.</summary>
    public Uri RepositoryUri => new($"{(_plainHttp ? Uri.UriSchemeHttp : Uri.UriSchemeHttps)}://{Registry}/v2/{Repository}/");

    /// <summary>How long a blob may go without a byte before its download counts as stalled.</summary>
    public TimeSpan StallTimeout => _requestTimeout;

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
        HttpResponseMessage response = await SendOnceAsync(request, what, toRegistry: true, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            IReadOnlyList<AuthChallenge> challenges = AuthChallenge.From(response);
            response.Dispose();
            using HttpRequestMessage retry = Copy(request, request.RequestUri!);
            retry.Headers.Authorization = await _auth.AnswerAsync(Registry, Repository, challenges, ct).ConfigureAwait(false);
            response = await SendOnceAsync(retry, what, toRegistry: true, ct).ConfigureAwait(false);
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
            bool toRegistry = target.Authority.Equals(RepositoryUri.Authority, StringComparison.OrdinalIgnoreCase);
            response = await SendOnceAsync(redirected, what, toRegistry, ct).ConfigureAwait(false);
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

    /// <summary>
    /// One request. To the registry itself (<paramref name="toRegistry"/>): in the scheme that worked, with the
    /// insecure client if it is listed, and falling back to plain HTTP when allowed and its server does not speak TLS.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string what, bool toRegistry, CancellationToken ct)
    {
        if (toRegistry && _plainHttp && request.RequestUri!.Scheme == Uri.UriSchemeHttps)
        {
            request.RequestUri = WithScheme(request.RequestUri, Uri.UriSchemeHttp); // built before the fallback
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_requestTimeout);
        HttpRequestException handshake;
        try
        {
            return await (toRegistry ? _registryHttp : _http).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw RegistryErrors.TimedOut(Registry, what, _requestTimeout);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            handshake = e;
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.Unreachable(Registry, what, e);
        }

        if (await SpeaksTlsAsync(request.RequestUri!, what, deadline.Token, ct).ConfigureAwait(false))
        {
            throw Refusal(handshake) is { } refusal
                ? RegistryErrors.TlsRefused(Registry, request.RequestUri!, refusal)
                : RegistryErrors.Unreachable(Registry, what, handshake); // the connection broke during the handshake
        }

        if (!toRegistry || !_mayUsePlainHttp)
        {
            throw RegistryErrors.NotTls(Registry, request.RequestUri!, handshake);
        }

        _plainHttp = true;
        Log.PlainHttp(_logger, Registry);
        using HttpRequestMessage plain = Copy(request, WithScheme(request.RequestUri!, Uri.UriSchemeHttp), keepAuthorization: true);
        return await SendOnceAsync(plain, what, toRegistry, ct).ConfigureAwait(false);
    }

    private async Task<bool> SpeaksTlsAsync(Uri server, string what, CancellationToken deadline, CancellationToken ct)
    {
        try
        {
            return await TlsDetection.SpeaksTlsAsync(server, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw RegistryErrors.TimedOut(Registry, what, _requestTimeout);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw RegistryErrors.Unreachable(Registry, what, e);
        }
    }

    /// <summary>The TLS layer's refusal (a certificate, a protocol) behind a failed handshake; null for a connection lost during it.</summary>
    private static AuthenticationException? Refusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private static Uri WithScheme(Uri uri, string scheme) => new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri;

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The same GET or HEAD (Accept, Range) to <paramref name="target"/>, without Authorization unless kept.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request, Uri target, bool keepAuthorization = false)
    {
        var copy = new HttpRequestMessage(request.Method, target);
        foreach (var header in request.Headers.Where(h => keepAuthorization || !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private static partial class Log
    {
        [LoggerMessage(6110, LogLevel.Information, "registry {Registry} does not speak TLS; using plain HTTP for this pull (it is on loopback or listed as insecure)")]
        public static partial void PlainHttp(ILogger logger, string registry);
    }
}
