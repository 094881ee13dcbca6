using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Tests.Containers.Registry;

/// <summary>How a <see cref="DockerRegistry"/> authenticates clients.</summary>
public enum RegistryAuth
{
    Anonymous,
    Basic,
    Token,
}

/// <summary>
/// Debian's docker-registry (distribution 2.8) on a free loopback port, with filesystem storage (deletes enabled)
/// in a temporary directory: anonymous, htpasswd basic auth, or bearer tokens from a <see cref="TokenServer"/>.
/// <see cref="PushAsync(string, string?, BuiltImage, CancellationToken)"/> uploads test images with the fixture's
/// own credentials; optionally HTTPS only (<see cref="StartWithTlsAsync"/>). Dispose stops the registry (and token server) and deletes the directory.
/// </summary>
public sealed class DockerRegistry : IAsyncDisposable
{
    public const string Executable = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;

    private DockerRegistry(string directory, string address, int port, Process process, StringBuilder output, RegistryAuth auth, string? username, string? password, TokenServer? tokens, RegistryCertificates? tls)
    {
        Directory = directory;
        Host = $"{address}:{port}";
        BaseUri = new Uri($"{(tls is null ? "http" : "https")}://{Host}/");
        _process = process;
        _output = output;
        Auth = auth;
        Username = username;
        Password = password;
        Tokens = tokens;
        var handler = new SocketsHttpHandler();
        if (tls is not null)
        {
            handler.SslOptions.CertificateChainPolicy = tls.TrustPolicy();
        }

        _http = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>host:port, as image references name the registry.</summary>
    public string Host { get; }

    /// <summary><c>http://host:port/</c>, or <c>https://…</c> for a registry started with TLS.</summary>
    public Uri BaseUri { get; }

    /// <summary>The temporary directory: config.yml, htpasswd, token certificate and the storage (data/).</summary>
    public string Directory { get; }

    public RegistryAuth Auth { get; }

    /// <summary>The user the registry (basic) or token server (token) accepts.</summary>
    public string? Username { get; }

    public string? Password { get; }

    /// <summary>The token server of a <see cref="RegistryAuth.Token"/> registry (what scopes were asked for).</summary>
    public TokenServer? Tokens { get; }

    /// <summary>What the registry printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool IsRunning => !_process.HasExited;

    /// <summary>An image reference naming <paramref name="repository"/> here: <c>oci://127.0.0.1:port/repo:tag</c>.</summary>
    public string Reference(string repository, string? tag = null) => $"oci://{Host}/{repository}{(tag is null ? "" : ":" + tag)}";

    public static Task<DockerRegistry> StartAsync() => StartAsync(RegistryAuth.Anonymous, null, null);

    public static Task<DockerRegistry> StartWithBasicAuthAsync(string username, string password) => StartAsync(RegistryAuth.Basic, username, password);

    /// <summary>An anonymous plain-HTTP registry listening on <paramref name="address"/> (an IPv4 address of this machine) instead of 127.0.0.1.</summary>
    public static Task<DockerRegistry> StartOnAsync(string address) => StartAsync(RegistryAuth.Anonymous, null, null, address: address);

    /// <summary>
    /// A registry serving HTTPS only, with <paramref name="certificates"/>' server certificate (the caller keeps and
    /// disposes them); anonymous, or basic auth when <paramref name="username"/> is given.
    /// </summary>
    public static Task<DockerRegistry> StartWithTlsAsync(RegistryCertificates certificates, string? username = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return StartAsync(username is null ? RegistryAuth.Anonymous : RegistryAuth.Basic, username, password, tls: certificates);
    }

    /// <summary>A registry whose clients need a bearer token from a token server accepting <paramref name="username"/>/<paramref name="password"/>.</summary>
    public static Task<DockerRegistry> StartWithTokenAuthAsync(string username, string password, bool anonymousPull = false) =>
        StartAsync(RegistryAuth.Token, username, password, anonymousPull);

    private static async Task<DockerRegistry> StartAsync(RegistryAuth auth, string? username, string? password, bool anonymousPull = false, RegistryCertificates? tls = null, string address = "127.0.0.1")
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install the docker-registry package (apt-get install docker-registry)");
        }

        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-registry-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        TokenServer? tokens = null;
        try
        {
            string authSection = "";
            if (auth == RegistryAuth.Basic)
            {
                string htpasswd = Path.Combine(directory, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, await HtpasswdLineAsync(username!, password!, directory));
                authSection = $"auth:\n  htpasswd:\n    realm: edgevisor-test\n    path: {htpasswd}\n";
            }
            else if (auth == RegistryAuth.Token)
            {
                tokens = TokenServer.Start("edgevisor-test-registry", username!, password!, Path.Combine(directory, "token.pem"));
                tokens.AnonymousPull = anonymousPull;
                authSection =
                    $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {tokens.Service}\n    issuer: {TokenServer.Issuer}\n    rootcertbundle: {tokens.CertificateFile}\n";
            }

            string tlsSection = tls is null ? "" : $"  tls:\n    certificate: {tls.CertificateFile}\n    key: {tls.KeyFile}\n";
            for (int attempt = 1; ; attempt++)
            {
                int port = LoopbackPorts.Free();
                string config = Path.Combine(directory, "config.yml");
                await File.WriteAllTextAsync(config,
                    $"version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {Path.Combine(directory, "data")}\n" +
                    $"  delete:\n    enabled: true\nhttp:\n  addr: {address}:{port}\n  secret: edgevisor-test-secret\n{tlsSection}{authSection}");
                var output = new StringBuilder();
                Process process = Launch(config, output);
                var registry = new DockerRegistry(directory, address, port, process, output, auth, username, password, tokens, tls);
                if (await registry.WaitReadyAsync(TimeSpan.FromSeconds(15)))
                {
                    return registry;
                }

                await registry.StopProcessAsync();
                registry._http.Dispose();
                if (attempt >= 3 || !registry.Output.Contains("address already in use", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"docker-registry did not become ready on {registry.Host}:\n{registry.Output}");
                }
            }
        }
        catch
        {
            if (tokens is not null)
            {
                await tokens.DisposeAsync();
            }

            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Pushes the image's blobs and its manifest, tagged <paramref name="tag"/> (null: by digest only). Returns the manifest digest.</summary>
    public async Task<string> PushAsync(string repository, string? tag, BuiltImage image, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach ((string digest, byte[] content) in image.Blobs)
        {
            await PushBlobAsync(repository, digest, content, ct);
        }

        await PushManifestAsync(repository, tag ?? image.ManifestDigest, image.ManifestBytes, image.ManifestMediaType, ct);
        return image.ManifestDigest;
    }

    /// <summary>Pushes every image of the index (by digest), then the index, tagged <paramref name="tag"/>. Returns the index digest.</summary>
    public async Task<string> PushAsync(string repository, string? tag, BuiltIndex index, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        foreach (BuiltImage image in index.Images)
        {
            await PushAsync(repository, null, image, ct);
        }

        await PushManifestAsync(repository, tag ?? index.Digest, index.Bytes, index.MediaType, ct);
        return index.Digest;
    }

    /// <summary>Uploads one blob monolithically (POST an upload, PUT it with ?digest=); a blob already there is skipped.</summary>
    public async Task PushBlobAsync(string repository, string digest, byte[] content, CancellationToken ct = default)
    {
        using (var head = await SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", repository, null, ct))
        {
            if (head.IsSuccessStatusCode)
            {
                return;
            }
        }

        Uri location;
        using (var start = await SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", repository, null, ct))
        {
            await ExpectAsync(start, HttpStatusCode.Accepted, $"starting the upload of {digest}");
            location = start.Headers.Location ?? throw new InvalidOperationException("docker-registry answered an upload without a Location");
        }

        string target = new Uri(BaseUri, location).ToString();
        target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await SendAsync(HttpMethod.Put, target, repository, body, ct);
        await ExpectAsync(put, HttpStatusCode.Created, $"uploading {digest}");
    }

    /// <summary>PUTs a manifest or index under <paramref name="reference"/> (a tag or its digest) with its media type.</summary>
    public async Task PushManifestAsync(string repository, string reference, byte[] manifest, string mediaType, CancellationToken ct = default)
    {
        var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await SendAsync(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", repository, body, ct);
        await ExpectAsync(put, HttpStatusCode.Created, $"putting manifest {reference} ({mediaType})");
    }

    /// <summary>Deletes a blob from the registry (a registry that lost a layer).</summary>
    public async Task DeleteBlobAsync(string repository, string digest, CancellationToken ct = default)
    {
        using var delete = await SendAsync(HttpMethod.Delete, $"v2/{repository}/blobs/{digest}", repository, null, ct);
        await ExpectAsync(delete, HttpStatusCode.Accepted, $"deleting {digest}");
    }

    /// <summary>Kills the registry (a registry that went away); the storage stays until dispose.</summary>
    public Task StopAsync() => StopProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        _process.Dispose();
        _http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }

        // Last: it throws when its handler failed on a request, and the directory must go even then.
        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, string repository, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = Auth switch
        {
            RegistryAuth.Basic => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))),
            RegistryAuth.Token => new AuthenticationHeaderValue("Bearer", Tokens!.Issue(Username!, repository, "pull", "push", "delete")),
            _ => null,
        };
        return await _http.SendAsync(request, ct);
    }

    private async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            string body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"docker-registry {Host}: {what}: {(int)response.StatusCode} {body}\n{Output}");
        }
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri("v2/", UriKind.Relative));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static Process Launch(string config, StringBuilder output)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    if (output.Length < 64 * 1024)
                    {
                        output.AppendLine(e.Data);
                    }
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task StopProcessAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    private static async Task<string> HtpasswdLineAsync(string username, string password, string directory)
    {
        var result = await EdgeVisor.Testing.Processes.ProcessRunner.RunAsync("htpasswd", ["-Bbn", username, password], directory, TimeSpan.FromSeconds(30));
        return result.ExitCode == 0
            ? EdgeVisor.Testing.Processes.ProcessRunner.AsText(result.Stdout).Trim() + "\n"
            : throw new InvalidOperationException($"htpasswd -Bbn failed ({result.ExitCode}); install apache2-utils: {result.Stderr}");
    }
}
