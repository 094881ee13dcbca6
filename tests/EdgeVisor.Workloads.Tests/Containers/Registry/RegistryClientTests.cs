using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Tests.Http;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>Pulls from Debian's real docker-registry (anonymous, htpasswd, token auth) into a real blob store.</summary>
public sealed class RegistryClientTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("edgevisor-pull-").FullName;
    private readonly BlobStore _blobs;

    public RegistryClientTests() => _blobs = new BlobStore(Path.Combine(_work, "store"), reserveBytes: 0);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(ImageFormat.Oci)]
    [InlineData(ImageFormat.Docker)]
    public async Task Pulls_a_single_platform_image_with_every_blob_verified(ImageFormat format)
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("app/run.sh", "echo hi", mode: 755)], i => i with { Format = format });
        await registry.PushAsync("edge/app", "1.0", image);
        var reported = new List<long>();

        string digest = await Client().PullAsync(Reference(registry, "edge/app:1.0"), image.ManifestDigest, Platform.Host, _blobs, new Recorder(reported), default);

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image.AllBlobs());
        Assert.Equal(image.Blobs.Values.Sum(b => (long)b.Length), reported.Max());
        Assert.Empty(Directory.GetFiles(Path.Combine(_blobs.Directory, "partial")));
    }

    [Fact]
    public async Task Two_images_sharing_a_layer_pulled_at_once_both_arrive_verified()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage first = BusyboxImage.Create([new TestLayer().File("app/one", "1")]);
        BuiltImage second = BusyboxImage.Create([new TestLayer().File("app/two", "2")]);
        Assert.Equal(first.Layers[0].Digest, second.Layers[0].Digest);
        await registry.PushAsync("edge/one", "1", first);
        await registry.PushAsync("edge/two", "1", second);
        var client = Client();

        string[] digests = await Task.WhenAll(
            client.PullAsync(Reference(registry, "edge/one:1"), first.ManifestDigest, Platform.Host, _blobs, null, default),
            client.PullAsync(Reference(registry, "edge/two:1"), second.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.Equal(new[] { first.ManifestDigest, second.ManifestDigest }, digests);
        AssertStored(first.AllBlobs().Concat(second.AllBlobs()));
        Assert.Empty(Directory.GetFiles(Path.Combine(_blobs.Directory, "partial")));
    }

    [Fact]
    public async Task Pulls_the_host_manifest_of_an_index_and_stores_the_index()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage host = BusyboxImage.Create();
        BuiltImage arm64 = await BusyboxImage.Arm64Async();
        BuiltIndex index = TestIndex.Of(arm64, host);
        await registry.PushAsync("edge/multi", "2", index);

        string digest = await Client().PullAsync(Reference(registry, "edge/multi:2"), index.PinnedSha256, Platform.Host, _blobs, null, default);

        Assert.Equal(host.ManifestDigest, digest);
        AssertStored(host.AllBlobs().Append(new(index.Digest, index.Bytes)));
        Assert.False(_blobs.Contains(arm64.ManifestDigest));
        Assert.False(_blobs.Contains(arm64.Layers[0].Digest));
    }

    [Fact]
    public async Task Pulls_the_arm64_manifest_of_an_index_for_an_arm64_device()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage host = BusyboxImage.Create();
        BuiltImage arm64 = await BusyboxImage.Arm64Async(configure: i => i with { Format = ImageFormat.Docker });
        BuiltIndex index = TestIndex.Of(ImageFormat.Docker, host, arm64);
        await registry.PushAsync("edge/multi", "2", index);
        var device = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" };

        string digest = await Client().PullAsync(Reference(registry, "edge/multi:2"), index.Digest, device, _blobs, null, default);

        Assert.Equal(arm64.ManifestDigest, digest);
        AssertStored(arm64.AllBlobs());
        Assert.False(_blobs.Contains(host.Layers[0].Digest));
    }

    [Fact]
    public async Task An_index_without_the_device_platform_is_permanent_and_lists_what_it_offers()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltIndex index = TestIndex.Of(BusyboxImage.Create());
        await registry.PushAsync("edge/amd", "1", index);
        var riscv = new Platform { Os = "linux", Architecture = "riscv64" };

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "edge/amd:1"), index.Digest, riscv, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"no manifest for linux/riscv64 (on offer: {Platform.Host})", error.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.All());
    }

    [Fact]
    public async Task A_single_platform_image_for_another_machine_is_refused_before_its_layers_are_fetched()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage arm64 = await BusyboxImage.Arm64Async();
        await registry.PushAsync("edge/foreign", "1", arm64);
        var amd64 = new Platform { Os = "linux", Architecture = "amd64" };

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "edge/foreign:1"), arm64.ManifestDigest, amd64, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains("is for linux/arm64, not linux/amd64", error.Message, StringComparison.Ordinal);
        Assert.False(_blobs.Contains(arm64.Layers[0].Digest));
        Assert.False(_blobs.Contains(arm64.ManifestDigest));
    }

    [Fact]
    public async Task A_wrong_pinned_digest_is_permanent_and_stores_nothing()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create();
        BuiltImage other = new TestImage { Layers = [new TestLayer().File("x", "other")] }.Build();
        await registry.PushAsync("edge/app", "1", image);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "edge/app:1"), other.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"manifest {other.ManifestDigest} of edge/app not found", error.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.All());
    }

    [Fact]
    public async Task A_reference_digest_other_than_the_pinned_one_is_refused_without_asking_the_registry()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();
        var reference = ImageReference.Parse($"127.0.0.1:9/app@sha256:{new string('0', 64)}");

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(reference, image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains("the deployment pins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_repository_is_permanent()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "nobody/here:1"), image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"registry {registry.Host}: manifest {image.ManifestDigest} of nobody/here not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_the_registry_lost_is_permanent_and_the_manifest_is_not_stored()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("lost", "layer")]);
        await registry.PushAsync("edge/app", "1", image);
        await registry.DeleteBlobAsync("edge/app", image.Layers[1].Digest);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "edge/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"blob {image.Layers[1].Digest} of edge/app not found", error.Message, StringComparison.Ordinal);
        Assert.False(_blobs.Contains(image.ManifestDigest));
    }

    [Fact]
    public async Task A_registry_that_is_not_there_is_transient()
    {
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();
        int port = LoopbackPorts.Free();

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(ImageReference.Parse($"127.0.0.1:{port}/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.False(error.Permanent);
        Assert.StartsWith($"registry 127.0.0.1:{port}: manifest {image.ManifestDigest} of app:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_auth_pulls_with_configured_credentials_from_a_password_file()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithBasicAuthAsync("alice", "s3cret");
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("private/app", "1", image);
        string passwordFile = Path.Combine(_work, "password");
        await File.WriteAllTextAsync(passwordFile, "s3cret\n");

        string digest = await Client(Credential(registry.Host, "alice", passwordFile: passwordFile)).PullAsync(Reference(registry, "private/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default);

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image.AllBlobs());
    }

    [Theory]
    [InlineData("alice", "wrong", null)]
    [InlineData(null, null, "no credentials configured")]
    public async Task Basic_auth_without_the_right_credentials_is_permanent_and_names_the_setting(string? user, string? password, string? detail)
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithBasicAuthAsync("alice", "s3cret");
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();
        await registry.PushAsync("private/app", "1", image);
        RegistryOptions options = user is null ? new RegistryOptions() : Credential(registry.Host, user, password);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(options).PullAsync(Reference(registry, "private/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains($"registry {registry.Host}: unauthorized for repository private/app", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(configure a credential for {registry.Host} in Agent:Containers:Registries:Credentials)", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail ?? "HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.All());
    }

    [Fact]
    public async Task Token_auth_fetches_a_pull_token_once_for_the_repository_scope()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTokenAuthAsync("bob", "hunter2");
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("a", "b"), new TestLayer().File("c", "d")]);
        await registry.PushAsync("private/app", "1", image);

        string digest = await Client(Credential(registry.Host, "bob", "hunter2")).PullAsync(Reference(registry, "private/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default);

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image.AllBlobs());
        TokenRequest request = Assert.Single(registry.Tokens!.Requests);
        Assert.Equal(("bob", "edgevisor-test-registry", true), (request.Username, request.Service, request.Granted));
        Assert.Equal(["repository:private/app:pull"], request.Scopes);
    }

    [Fact]
    public async Task Token_auth_with_wrong_credentials_is_permanent()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTokenAuthAsync("bob", "hunter2");
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();
        await registry.PushAsync("private/app", "1", image);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client(Credential(registry.Host, "bob", "nope")).PullAsync(Reference(registry, "private/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default));

        Assert.True(error.Permanent);
        Assert.Contains("unauthorized for repository private/app (the token server refuses the credentials)", error.Message, StringComparison.Ordinal);
        Assert.Contains(registry.Tokens!.Requests, r => r is { Username: "bob", Granted: false });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Token_auth_without_credentials_pulls_only_what_the_token_server_grants_anonymously(bool anonymousPull)
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTokenAuthAsync("bob", "hunter2", anonymousPull);
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("x", "y")] }.Build();
        await registry.PushAsync("public/app", "1", image);

        Task<string> pull = Client().PullAsync(Reference(registry, "public/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default);

        if (anonymousPull)
        {
            Assert.Equal(image.ManifestDigest, await pull);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ArtifactException>(() => pull);
            Assert.True(error.Permanent);
            Assert.Contains("unauthorized for repository public/app", error.Message, StringComparison.Ordinal);
        }

        Assert.All(registry.Tokens!.Requests, r => Assert.Null(r.Username));
    }

    [Fact]
    public async Task A_connection_cut_mid_blob_is_transient_and_the_next_pull_resumes_with_a_range_request()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);
        await using var proxy = new CuttingProxy(registry.Host, cutAfterBytes: 400 * 1024);
        RegistryClient client = Client();
        var reference = ImageReference.Parse($"{proxy.Host}/edge/app:1");

        var error = await Assert.ThrowsAsync<ArtifactException>(() => client.PullAsync(reference, image.ManifestDigest, Platform.Host, _blobs, null, default));
        long kept = Directory.GetFiles(Path.Combine(_blobs.Directory, "partial")).Sum(f => new FileInfo(f).Length);
        bool manifestStoredAfterCut = _blobs.Contains(image.ManifestDigest);
        string digest = await client.PullAsync(reference, image.ManifestDigest, Platform.Host, _blobs, null, default);

        Assert.False(error.Permanent, error.Message);
        Assert.Contains("connection", error.Message, StringComparison.Ordinal);
        Assert.InRange(kept, 100 * 1024, image.Layers[0].Bytes.Length - 1);
        Assert.False(manifestStoredAfterCut); // an incomplete image has no manifest in the store
        Assert.Equal(image.ManifestDigest, digest);
        Assert.Equal((1, 1), (proxy.Cuts, proxy.RangeRequests));
        AssertStored(image.AllBlobs());
    }

    [Fact]
    public async Task Too_little_disk_space_is_transient_and_downloads_nothing()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);
        var full = new BlobStore(Path.Combine(_work, "full"), reserveBytes: long.MaxValue / 2);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Client().PullAsync(Reference(registry, "edge/app:1"), image.ManifestDigest, Platform.Host, full, null, default));

        Assert.False(error.Permanent);
        Assert.Contains("must stay free", error.Message, StringComparison.Ordinal);
        Assert.Empty(full.All());
        Assert.Empty(Directory.GetFiles(Path.Combine(full.Directory, "partial")));
    }

    [Fact]
    public async Task A_second_pull_of_a_stored_image_asks_the_registry_nothing()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);
        await Client().PullAsync(Reference(registry, "edge/app:1"), image.ManifestDigest, Platform.Host, _blobs, null, default);
        await registry.StopAsync();

        string digest = await Client().PullAsync(Reference(registry, "edge/app:1"), image.PinnedSha256, Platform.Host, _blobs, null, default);

        Assert.Equal(image.ManifestDigest, digest);
    }

    private static RegistryClient Client(RegistryOptions? options = null)
    {
        options ??= new RegistryOptions();
        return new RegistryClient(RegistryClient.CreateHttpClient(options), options, NullLogger<RegistryClient>.Instance);
    }

    private static RegistryOptions Credential(string host, string user, string? password = null, string? passwordFile = null)
    {
        return new RegistryOptions
        {
            RequestTimeoutSeconds = 10,
            Credentials = [new RegistryCredential { Registry = host, Username = user, Password = password, PasswordFile = passwordFile }],
        };
    }

    private static ImageReference Reference(DockerRegistry registry, string repositoryAndTag) => ImageReference.Parse($"oci://{registry.Host}/{repositoryAndTag}");

    private void AssertStored(IEnumerable<KeyValuePair<string, byte[]>> expected)
    {
        foreach ((string digest, byte[] content) in expected)
        {
            Assert.True(_blobs.Contains(digest), $"{digest} is not in the store");
            Assert.Equal(content, File.ReadAllBytes(_blobs.PathOf(digest)));
        }
    }

    private sealed class Recorder(List<long> reports) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
