using System.Net;
using System.Text;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Http;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Downloads;
using EdgeVisor.Workloads.Tests.Containers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>
/// What docker-registry never does, from a small registry on a <see cref="LoopbackHttpServer"/>: blobs redirected to
/// storage (which must not see the registry credentials), a manifest whose bytes do not match its digest, a 5xx and a 429.
/// </summary>
public sealed class FakeRegistryTests : IDisposable
{
    private readonly StoreScratch _scratch = new();

    private BlobStore Blobs => _scratch.Store.Blobs;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Blob_redirects_are_followed_without_the_registry_credentials()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b"), new TestLayer().File("c", "d")] }.Build();
        await using var registry = FakeRegistry.Start(image, redirectBlobs: true);

        string digest = await Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, Blobs, null, default);

        Assert.Equal(image.ManifestDigest, digest);
        Assert.All(image.Blobs.Keys, blob => Assert.True(Blobs.Contains(blob)));
        Assert.Equal(image.Blobs.Count, registry.StorageRequests.Count);
        Assert.All(registry.StorageRequests, authorization => Assert.Null(authorization));
        Assert.True(registry.AuthorizedRegistryRequests > 0);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_the_pinned_digest_is_permanent_and_stores_nothing()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b")] }.Build();
        await using var registry = FakeRegistry.Start(image, tamperManifest: true);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, Blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"manifest {image.ManifestDigest} of app: the registry sent content with digest sha256:", error.Message, StringComparison.Ordinal);
        Assert.Empty(Blobs.All());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Server_errors_and_rate_limits_are_transient(int status)
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b")] }.Build();
        await using var registry = FakeRegistry.Start(image, failWith: status);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(registry).PullAsync(registry.Reference, image.ManifestDigest, Platform.Host, Blobs, null, default));

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
        private const string StoragePath = "/storage/";
        private const string BlobPath = "/v2/app/blobs/";
        private static readonly string Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

        private readonly BuiltImage _image;
        private readonly bool _redirectBlobs;
        private readonly bool _tamperManifest;
        private readonly int? _failWith;
        private readonly LoopbackHttpServer _server;

        private FakeRegistry(BuiltImage image, bool redirectBlobs, bool tamperManifest, int? failWith)
        {
            _image = image;
            _redirectBlobs = redirectBlobs;
            _tamperManifest = tamperManifest;
            _failWith = failWith;
            _server = LoopbackHttpServer.Start(AnswerAsync);
        }

        public string Host => _server.Host;

        public ImageReference Reference => ImageReference.Parse($"{Host}/app:1");

        /// <summary>The Authorization header of each request to the storage the blobs redirect to (null: none).</summary>
        public IReadOnlyList<string?> StorageRequests =>
            [.. _server.Requests.Where(r => r.Path.StartsWith(StoragePath, StringComparison.Ordinal)).Select(r => r.Authorization)];

        public int AuthorizedRegistryRequests =>
            _server.Requests.Count(r => !r.Path.StartsWith(StoragePath, StringComparison.Ordinal) && r.Authorization == Authorization);

        public static FakeRegistry Start(BuiltImage image, bool redirectBlobs = false, bool tamperManifest = false, int? failWith = null) =>
            new(image, redirectBlobs, tamperManifest, failWith);

        public ValueTask DisposeAsync() => _server.DisposeAsync();

        private async Task AnswerAsync(HttpListenerContext context)
        {
            HttpListenerResponse response = context.Response;
            string path = context.Request.Url!.AbsolutePath;
            if (path.StartsWith(StoragePath, StringComparison.Ordinal))
            {
                await LoopbackHttpServer.SendAsync(response, _image.Blobs[path[StoragePath.Length..]], "application/octet-stream");
                return;
            }

            if (context.Request.Headers["Authorization"] != Authorization)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"fake\"");
                return;
            }

            if (_failWith is { } status)
            {
                response.StatusCode = status;
                return;
            }

            if (path == $"/v2/app/manifests/{_image.ManifestDigest}")
            {
                byte[] manifest = _tamperManifest ? [.. _image.ManifestBytes, (byte)' '] : _image.ManifestBytes;
                await LoopbackHttpServer.SendAsync(response, manifest, _image.ManifestMediaType);
            }
            else if (path.StartsWith(BlobPath, StringComparison.Ordinal) && _image.Blobs.TryGetValue(path[BlobPath.Length..], out byte[]? blob))
            {
                if (_redirectBlobs)
                {
                    response.StatusCode = 307;
                    response.RedirectLocation = $"http://{Host}{StoragePath}{path[BlobPath.Length..]}";
                    return;
                }

                await LoopbackHttpServer.SendAsync(response, blob, "application/octet-stream");
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }
}
