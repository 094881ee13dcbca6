using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>
/// What docker-registry never does, from a small HttpListener registry: blobs redirected to storage (which must
/// not see the registry credentials), a manifest whose bytes do not match its digest, a 5xx and a 429.
/// </summary>
public sealed class FakeRegistryTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("edgevisor-fake-registry-").FullName;
    private readonly BlobStore _blobs;

    public FakeRegistryTests() => _blobs = new BlobStore(Path.Combine(_work, "store"), reserveBytes: 0);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Blob_redirects_are_followed_without_the_registry_credentials()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b"), new TestLayer().File("c", "d")] }.Build();
        await using var registry = FakeRegistry.Start(image, redirectBlobs: true);

        string digest = await Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, _blobs, null, default);

        Assert.Equal(image.ManifestDigest, digest);
        Assert.All(image.Blobs.Keys, blob => Assert.True(_blobs.Contains(blob)));
        Assert.Equal(image.Blobs.Count, registry.StorageRequests.Count);
        Assert.All(registry.StorageRequests, authorization => Assert.Null(authorization));
        Assert.True(registry.AuthorizedRegistryRequests > 0);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_the_pinned_digest_is_permanent_and_stores_nothing()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b")] }.Build();
        await using var registry = FakeRegistry.Start(image, tamperManifest: true);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"manifest {image.ManifestDigest} of app: the registry sent content with digest sha256:", error.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.All());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Server_errors_and_rate_limits_are_transient(int status)
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b")] }.Build();
        await using var registry = FakeRegistry.Start(image, failWith: status);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.False(error.Permanent);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
    }

    private static RegistryClient Client(FakeRegistry registry)
    {
        var options = new RegistryOptions
        {
            RequestTimeoutSeconds = 10,
            Credentials = [new RegistryCredential { Registry = registry.Host, Username = FakeRegistry.User, Password = FakeRegistry.Password }],
        };
        return new RegistryClient(RegistryClient.CreateHttpClient(options), options, NullLogger<RegistryClient>.Instance);
    }

    /// <summary>Serves one image under repository <c>app</c> behind Basic auth; blobs optionally redirected to /storage/.</summary>
    private sealed class FakeRegistry : IAsyncDisposable
    {
        public const string User = "u";
        public const string Password = "p";

        private readonly HttpListener _listener;
        private readonly BuiltImage _image;
        private readonly bool _redirectBlobs;
        private readonly bool _tamperManifest;
        private readonly int? _failWith;
        private readonly Task _serving;
        private int _authorized;

        private FakeRegistry(HttpListener listener, string host, BuiltImage image, bool redirectBlobs, bool tamperManifest, int? failWith)
        {
            _listener = listener;
            Host = host;
            _image = image;
            _redirectBlobs = redirectBlobs;
            _tamperManifest = tamperManifest;
            _failWith = failWith;
            _serving = Task.Run(ServeAsync);
        }

        public string Host { get; }

        public ImageReference Reference => ImageReference.Parse($"{Host}/app:1");

        /// <summary>The Authorization header of each request to the storage the blobs redirect to (null: none).</summary>
        public ConcurrentQueue<string?> StorageRequests { get; } = new();

        public int AuthorizedRegistryRequests => Volatile.Read(ref _authorized);

        public static FakeRegistry Start(BuiltImage image, bool redirectBlobs = false, bool tamperManifest = false, int? failWith = null)
        {
            for (int attempt = 1; ; attempt++)
            {
                using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    return new FakeRegistry(listener, $"127.0.0.1:{port}", image, redirectBlobs, tamperManifest, failWith);
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Close();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // closing ends the loop
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                try
                {
                    Answer(context.Request, context.Response);
                }
                finally
                {
                    context.Response.Close();
                }
            }
        }

        private void Answer(HttpListenerRequest request, HttpListenerResponse response)
        {
            string path = request.Url!.AbsolutePath;
            if (path.StartsWith("/storage/", StringComparison.Ordinal))
            {
                StorageRequests.Enqueue(request.Headers["Authorization"]);
                Write(response, _image.Blobs[path["/storage/".Length..]], "application/octet-stream");
                return;
            }

            string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
            if (request.Headers["Authorization"] != expected)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"fake\"");
                return;
            }

            Interlocked.Increment(ref _authorized);
            if (_failWith is { } status)
            {
                response.StatusCode = status;
                return;
            }

            if (path == $"/v2/app/manifests/{_image.ManifestDigest}")
            {
                byte[] manifest = _tamperManifest ? [.. _image.ManifestBytes, (byte)' '] : _image.ManifestBytes;
                Write(response, manifest, _image.ManifestMediaType);
            }
            else if (path.StartsWith("/v2/app/blobs/", StringComparison.Ordinal) && _image.Blobs.TryGetValue(path["/v2/app/blobs/".Length..], out byte[]? blob))
            {
                if (_redirectBlobs)
                {
                    response.StatusCode = 307;
                    response.RedirectLocation = $"http://{Host}/storage/{path["/v2/app/blobs/".Length..]}";
                    return;
                }

                Write(response, blob, "application/octet-stream");
            }
            else
            {
                response.StatusCode = 404;
            }
        }

        private static void Write(HttpListenerResponse response, byte[] content, string mediaType)
        {
            response.ContentType = mediaType;
            response.ContentLength64 = content.Length;
            response.OutputStream.Write(content);
        }
    }
}
