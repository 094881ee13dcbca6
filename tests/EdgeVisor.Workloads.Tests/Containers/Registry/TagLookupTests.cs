using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>What a controller pins a tag to (RegistryClient.ResolveAsync), against Debian's docker-registry.</summary>
public sealed class TagLookupTests : IDisposable
{
    private readonly HttpClient _http = RegistryClient.CreateHttpClient(new RegistryOptions());

    public void Dispose() => _http.Dispose();

    private RegistryClient Client() => new(_http, new RegistryOptions(), NullLogger<RegistryClient>.Instance);

    [Fact]
    public async Task A_tag_resolves_to_the_digest_of_what_it_names_now_an_image_or_an_index()
    {
        await using var registry = await DockerRegistry.StartAsync();
        var first = BusyboxImage.Create([new TestLayer().File("app/version", "1")]);
        var second = BusyboxImage.Create([new TestLayer().File("app/version", "2")]);
        var index = TestIndex.Of(first);
        await registry.PushAsync("edge/app", "stable", first);
        await registry.PushAsync("edge/multi", "1", index);

        string before = await Client().ResolveAsync(ImageReference.Parse($"oci://{registry.Host}/edge/app:stable"), default);
        await registry.PushAsync("edge/app", "stable", second); // the tag moves
        string after = await Client().ResolveAsync(ImageReference.Parse($"oci://{registry.Host}/edge/app:stable"), default);
        string multi = await Client().ResolveAsync(ImageReference.Parse($"oci://{registry.Host}/edge/multi:1"), default);
        string pinned = await Client().ResolveAsync(ImageReference.Parse($"oci://{registry.Host}/edge/app@{first.ManifestDigest}"), default);

        Assert.Equal(first.ManifestDigest, before);
        Assert.Equal(second.ManifestDigest, after);
        Assert.Equal(index.Digest, multi);
        Assert.Equal(first.ManifestDigest, pinned);
    }

    [Fact]
    public async Task A_tag_the_registry_does_not_have_is_a_permanent_not_found_naming_it()
    {
        await using var registry = await DockerRegistry.StartAsync();
        await registry.PushAsync("edge/app", "1", BusyboxImage.Create());

        var e = await Assert.ThrowsAsync<ArtifactException>(() => Client().ResolveAsync(ImageReference.Parse($"oci://{registry.Host}/edge/app:2"), default));

        Assert.True(e.Permanent);
        Assert.Equal($"registry {registry.Host}: manifest 2 of edge/app not found", e.Message);
    }
}
