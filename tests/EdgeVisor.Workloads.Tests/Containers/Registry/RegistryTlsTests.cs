using System.Security.Cryptography;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>
/// HTTPS first, against Debian's docker-registry serving TLS with a test CA's certificate: trusted through
/// <c>CaFile</c>, refused without it (permanently, naming the registry and the reason), unchecked for a registry
/// listed as insecure; a plain-HTTP registry is reached by falling back when it is on loopback or listed as insecure.
/// </summary>
public sealed class RegistryTlsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("edgevisor-tls-pull-").FullName;
    private readonly RegistryCertificates _certificates = RegistryCertificates.Create();
    private readonly BlobStore _blobs;

    public RegistryTlsTests() => _blobs = new BlobStore(Path.Combine(_work, "store"), reserveBytes: 0);

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Pulls_over_https_trusting_the_registry_ca_from_CaFile()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTlsAsync(_certificates);
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("app/run.sh", "echo tls")]);
        await registry.PushAsync("edge/app", "1", image);

        string digest = await Pull(registry, image, new RegistryOptions { CaFile = _certificates.CaFile });

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image);
    }

    [Fact]
    public async Task Basic_auth_pulls_over_https()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTlsAsync(_certificates, "alice", "s3cret");
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("private/app", "1", image);
        var options = new RegistryOptions
        {
            CaFile = _certificates.CaFile,
            Credentials = [new RegistryCredential { Registry = registry.Host, Username = "alice", Password = "s3cret" }],
        };

        string digest = await Pull(registry, image, options, "private/app");

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image);
    }

    [Fact]
    public async Task Without_the_ca_the_certificate_is_refused_permanently_naming_the_registry_and_nothing_is_stored()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTlsAsync(_certificates);
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Pull(registry, image, new RegistryOptions()));

        Assert.True(error.Permanent, error.Message);
        Assert.StartsWith($"registry {registry.Host}: TLS with {registry.Host} refused: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("The remote certificate is invalid", StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(_blobs.All());
        Assert.Empty(Directory.GetFiles(Path.Combine(_blobs.Directory, "partial")));
    }

    [Fact]
    public async Task A_ca_that_did_not_sign_the_certificate_is_refused_too()
    {
        using RegistryCertificates other = RegistryCertificates.Create();
        await using DockerRegistry registry = await DockerRegistry.StartWithTlsAsync(_certificates);
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => Pull(registry, image, new RegistryOptions { CaFile = other.CaFile }));

        Assert.True(error.Permanent, error.Message);
        Assert.StartsWith($"registry {registry.Host}: TLS with {registry.Host} refused: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.All());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_insecure_registry_serving_an_untrusted_certificate_is_pulled_from_without_checking_it(bool listedByHostOnly)
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithTlsAsync(_certificates, "alice", "s3cret");
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("insecure", "yes")]);
        await registry.PushAsync("private/app", "1", image);
        var options = new RegistryOptions
        {
            Insecure = [listedByHostOnly ? RegistryHost.HostOf(registry.Host) : registry.Host],
            Credentials = [new RegistryCredential { Registry = registry.Host, Username = "alice", Password = "s3cret" }],
        };

        string digest = await Pull(registry, image, options, "private/app");

        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_plain_http_loopback_registry_is_reached_by_falling_back_from_https(bool listedAsInsecure)
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithBasicAuthAsync("alice", "s3cret");
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("a", "1"), new TestLayer().File("b", "2")]);
        await registry.PushAsync("private/app", "1", image);
        var options = new RegistryOptions
        {
            CaFile = _certificates.CaFile,
            Insecure = listedAsInsecure ? [registry.Host] : [],
            Credentials = [new RegistryCredential { Registry = registry.Host, Username = "alice", Password = "s3cret" }],
        };

        string digest = await Pull(registry, image, options, "private/app");

        Assert.Equal("http", registry.BaseUri.Scheme);
        Assert.Equal(image.ManifestDigest, digest);
        AssertStored(image);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_plain_http_registry_off_loopback_is_used_only_when_listed_as_insecure(bool listedAsInsecure)
    {
        await using var address = await LocalAddress.AddAsync();
        await using DockerRegistry registry = await DockerRegistry.StartOnAsync(address.Address);
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("edge/app", "1", image);
        var options = new RegistryOptions { Insecure = listedAsInsecure ? [address.Address] : [] };

        Task<string> pull = Pull(registry, image, options);

        if (listedAsInsecure)
        {
            Assert.Equal(image.ManifestDigest, await pull);
            AssertStored(image);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ArtifactException>(() => pull);
            Assert.True(error.Permanent, error.Message);
            Assert.StartsWith($"registry {registry.Host}: {registry.Host} does not speak TLS (HTTPS); plain HTTP is used only for loopback registries and those listed in", error.Message, StringComparison.Ordinal);
            Assert.Empty(_blobs.All());
        }
    }

    private Task<string> Pull(DockerRegistry registry, BuiltImage image, RegistryOptions options, string repository = "edge/app")
    {
        options.RequestTimeoutSeconds = 10;
        var client = new RegistryClient(RegistryClient.CreateHttpClient(options), options, NullLogger<RegistryClient>.Instance);
        return client.PullAsync(ImageReference.Parse(registry.Reference(repository, "1")), image.ManifestDigest, Platform.Host, _blobs, null, default);
    }

    private void AssertStored(BuiltImage image)
    {
        foreach ((string digest, byte[] content) in image.AllBlobs())
        {
            Assert.True(_blobs.Contains(digest), $"{digest} is not in the store");
            Assert.Equal(content, File.ReadAllBytes(_blobs.PathOf(digest)));
        }
    }

    /// <summary>
    /// An address of this machine that is not loopback: a /32 from the benchmarking range 198.18.0.0/15 on a veth
    /// pair of its own (unique names and address per test; the dummy link type is not always built), removed on dispose.
    /// </summary>
    private sealed class LocalAddress : IAsyncDisposable
    {
        private readonly string _link;

        private LocalAddress(string link, string address)
        {
            _link = link;
            Address = address;
        }

        public string Address { get; }

        public static async Task<LocalAddress> AddAsync()
        {
            byte[] random = RandomNumberGenerator.GetBytes(3);
            var local = new LocalAddress("evreg" + Convert.ToHexStringLower(random), $"198.{18 + (random[0] & 1)}.{random[1]}.{Math.Max((int)random[2], 1)}");
            try
            {
                await IpAsync("link", "add", local._link, "type", "veth", "peer", "name", local._link + "p");
                await IpAsync("addr", "add", local.Address + "/32", "dev", local._link);
                await IpAsync("link", "set", local._link, "up");
                return local;
            }
            catch
            {
                await local.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync() =>
            await ProcessRunner.RunAsync("ip", ["link", "del", _link], Path.GetTempPath(), TimeSpan.FromSeconds(30));

        private static async Task IpAsync(params string[] arguments)
        {
            ProcessResult result = await ProcessRunner.RunAsync("ip", arguments, Path.GetTempPath(), TimeSpan.FromSeconds(30));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
            }
        }
    }
}
