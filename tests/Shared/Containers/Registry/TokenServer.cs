using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Tests.Containers.Registry;

/// <summary>What one token request asked for.</summary>
/// <param name="Username">The Basic user name it authenticated with (null: anonymous).</param>
public sealed record TokenRequest(string? Service, IReadOnlyList<string> Scopes, string? Username, bool Granted);

/// <summary>
/// A bearer-token server for docker-registry's <c>auth: token</c> (the distribution token spec): a
/// <see cref="LoopbackHttpServer"/> answering <c>GET /token?service=…&amp;scope=…</c>. It checks Basic credentials
/// (wrong ones → 401; none → anonymous, granted pull only when <see cref="AnonymousPull"/>), and issues RS256 JWTs
/// whose x5c header carries its self-signed certificate, which the registry trusts as its root certificate bundle.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Issuer = "edgevisor-test-token-server";

    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly string _username;
    private readonly string _password;
    private readonly ConcurrentQueue<TokenRequest> _requests = new();
    private readonly LoopbackHttpServer _server;

    private TokenServer(string service, string username, string password, string certificateFile)
    {
        _username = username;
        _password = password;
        Service = service;
        CertificateFile = certificateFile;
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Issuer, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(certificateFile, _certificate.ExportCertificatePem() + "\n");
        _server = LoopbackHttpServer.Start(AnswerAsync);
        Realm = _server.BaseUrl + "token";
    }

    /// <summary>The URL the registry sends clients to (its WWW-Authenticate realm).</summary>
    public string Realm { get; }

    /// <summary>The service name (the token's audience; the registry's <c>auth.token.service</c>).</summary>
    public string Service { get; }

    /// <summary>The PEM certificate whose key signs the tokens (the registry's <c>rootcertbundle</c>).</summary>
    public string CertificateFile { get; }

    /// <summary>Whether a request without credentials gets a token for <c>pull</c>.</summary>
    public bool AnonymousPull { get; set; }

    /// <summary>Seconds a token lives (its <c>expires_in</c>).</summary>
    public int ExpiresInSeconds { get; set; } = 300;

    /// <summary>Every token request so far, in order.</summary>
    public IReadOnlyList<TokenRequest> Requests => [.. _requests];

    /// <summary>Starts a server on a free loopback port that accepts <paramref name="username"/>/<paramref name="password"/>.</summary>
    public static TokenServer Start(string service, string username, string password, string certificateFile) =>
        new(service, username, password, certificateFile);

    /// <summary>A signed token granting <paramref name="actions"/> on <paramref name="repository"/> (what the fixture pushes with).</summary>
    public string Issue(string subject, string repository, params string[] actions) =>
        Sign(subject, [new JsonObject { ["type"] = "repository", ["name"] = repository, ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]) }]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            _certificate.Dispose();
            _key.Dispose();
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string? service = context.Request.QueryString["service"];
        string[] scopes = [.. (context.Request.QueryString.GetValues("scope") ?? []).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        (string User, string Password)? credentials = BasicCredentials(context.Request.Headers["Authorization"]);
        bool authenticated = credentials is { } c && c.User == _username && c.Password == _password;
        if (credentials is not null && !authenticated)
        {
            _requests.Enqueue(new TokenRequest(service, scopes, credentials.Value.User, Granted: false));
            context.Response.StatusCode = 401;
            return;
        }

        JsonArray access = [];
        foreach (string scope in scopes)
        {
            // repository:<name>:<actions>; a name may hold ':' only before a port, which repositories never do.
            string[] parts = scope.Split(':');
            if (parts is not ["repository", var name, var actions])
            {
                continue;
            }

            string[] granted = authenticated ? actions.Split(',') : AnonymousPull && actions.Split(',').Contains("pull") ? ["pull"] : [];
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = name, ["actions"] = new JsonArray([.. granted.Select(a => (JsonNode)a)]) });
        }

        _requests.Enqueue(new TokenRequest(service, scopes, credentials?.User, Granted: true));
        string token = Sign(credentials?.User ?? "", access);
        var body = new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = ExpiresInSeconds,
            ["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        await LoopbackHttpServer.SendAsync(context.Response, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
    }

    private string Sign(string subject, JsonArray access)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + ExpiresInSeconds,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        string signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static (string, string)? BasicCredentials(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
