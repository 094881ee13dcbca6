using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Answers registries' 401 challenges: <c>Bearer</c> by fetching a token from the challenge's realm (with the
/// configured Basic credentials, else anonymously) and caching it per registry and scope until it expires;
/// <c>Basic</c> with the configured credentials. Shared by all pulls of a client, so a token serves many requests.
/// </summary>
public sealed class RegistryAuthenticator(HttpClient http, RegistryOptions options)
{
    /// <summary>A token is dropped this long before the expiry its server announced (requests take time).</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _basicRegistries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The scope a pull from <paramref name="repository"/> needs.</summary>
    public static string PullScope(string repository) => $"repository:{repository}:pull";

    /// <summary>What to send before any challenge: a cached token for the scope, or Basic for a registry known to want it.</summary>
    public AuthenticationHeaderValue? Cached(string registry, string scope)
    {
        if (_tokens.TryGetValue(registry + " " + scope, out var token) && token.Expires > DateTimeOffset.UtcNow)
        {
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return _basicRegistries.ContainsKey(registry) && Credentials(registry) is { } credentials ? Basic(credentials) : null;
    }

    /// <summary>
    /// The Authorization to retry a request with after a 401 carrying <paramref name="challenges"/>; throws the
    /// permanent "unauthorized" error when there is nothing to answer with.
    /// </summary>
    public async Task<AuthenticationHeaderValue> AnswerAsync(string registry, string repository, IReadOnlyList<AuthChallenge> challenges, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        (string User, string Password)? credentials = Credentials(registry);
        if (challenges.FirstOrDefault(c => c.IsBearer) is { } bearer && bearer["realm"] is { } realm)
        {
            string scope = PullScope(repository);
            (string token, int expiresIn) = await FetchTokenAsync(registry, repository, realm, bearer["service"], scope, credentials, ct).ConfigureAwait(false);
            _tokens[registry + " " + scope] = (token, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(expiresIn) - ExpiryMargin);
            return new AuthenticationHeaderValue("Bearer", token);
        }

        if (challenges.Any(c => c.IsBasic) && credentials is { } basic)
        {
            _basicRegistries[registry] = true;
            return Basic(basic);
        }

        throw RegistryErrors.Unauthorized(registry, repository, credentials is null ? "no credentials configured" : null);
    }

    /// <summary>The configured user and password for <paramref name="registry"/> (<see cref="RegistryOptions.CredentialFor"/>).</summary>
    public (string User, string Password)? Credentials(string registry)
    {
        if (options.CredentialFor(registry) is not { Username: not null } credential)
        {
            return null;
        }

        if (credential.PasswordFile is { } file)
        {
            try
            {
                return (credential.Username, File.ReadLines(file).FirstOrDefault()?.TrimEnd('\r') ?? "");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArtifactException($"registry {registry}: cannot read the password file {file}: {e.Message}", permanent: true, e);
            }
        }

        return (credential.Username, credential.Password ?? "");
    }

    private async Task<(string Token, int ExpiresIn)> FetchTokenAsync(
        string registry, string repository, string realm, string? service, string scope, (string User, string Password)? credentials, CancellationToken ct)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out Uri? realmUri) || realmUri.Scheme is not ("http" or "https"))
        {
            throw new ArtifactException($"registry {registry}: token realm '{realm}' is not an http(s) URL", permanent: true);
        }

        string query = (service is null ? "" : "service=" + Uri.EscapeDataString(service) + "&") + "scope=" + Uri.EscapeDataString(scope);
        var url = new UriBuilder(realmUri) { Query = string.IsNullOrEmpty(realmUri.Query) ? query : realmUri.Query.TrimStart('?') + "&" + query }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is { } basic)
        {
            request.Headers.Authorization = Basic(basic);
        }

        var timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        string what = $"token for {scope} from {realmUri.GetLeftPart(UriPartial.Path)}";
        try
        {
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw RegistryErrors.Unauthorized(registry, repository, credentials is null ? "the token server refuses anonymous pulls" : "the token server refuses the credentials");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw RegistryErrors.Refused(registry, what, response);
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return ParseToken(registry, what, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw RegistryErrors.TimedOut(registry, what, timeout);
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.Unreachable(registry, what, e);
        }
    }

    /// <summary><c>token</c> or <c>access_token</c>, and <c>expires_in</c> (the spec's default: 60 s).</summary>
    private static (string, int) ParseToken(string registry, string what, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? token = root.TryGetProperty("token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : root.TryGetProperty("access_token", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString()
                : null;
            int expiresIn = root.TryGetProperty("expires_in", out JsonElement e) && e.TryGetInt32(out int seconds) && seconds > 0 ? seconds : 60;
            return string.IsNullOrEmpty(token)
                ? throw new ArtifactException($"registry {registry}: {what}: the answer has no token", permanent: true)
                : (token, expiresIn);
        }
        catch (JsonException e)
        {
            throw new ArtifactException($"registry {registry}: {what}: the answer is not JSON: {e.Message}", permanent: true, e);
        }
    }

    private static AuthenticationHeaderValue Basic((string User, string Password) credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.User + ":" + credentials.Password)));
}
