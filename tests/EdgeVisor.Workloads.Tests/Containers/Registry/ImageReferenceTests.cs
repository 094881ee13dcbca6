using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("oci://registry.example.com/app:1.0", "registry.example.com", "app", "1.0", null)]
    [InlineData("registry.example.com/team/app", "registry.example.com", "team/app", null, null)]
    [InlineData("localhost/app:latest", "localhost", "app", "latest", null)]
    [InlineData("127.0.0.1:5000/a/b-c/d_e__f/g.h:V_1.2-rc", "127.0.0.1:5000", "a/b-c/d_e__f/g.h", "V_1.2-rc", null)]
    [InlineData("OCI://Registry.Example.com:443/app@" + Digest, "registry.example.com:443", "app", null, Digest)]
    [InlineData("[::1]:5000/app:1@" + Digest, "[::1]:5000", "app", "1", Digest)]
    public void Parses_the_registry_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        ImageReference reference = ImageReference.Parse(text);

        Assert.Equal(new ImageReference(registry, repository, tag, digest), reference);
    }

    [Theory]
    [InlineData("app:1", "no registry host")]
    [InlineData("library/app", "no registry host")]
    [InlineData("registry.example.com/App", "repository component 'App'")]
    [InlineData("registry.example.com/a//b", "repository component ''")]
    [InlineData("registry.example.com/a-/b", "repository component 'a-'")]
    [InlineData("registry.example.com/", "no repository")]
    [InlineData("registry.example.com/app:-x", "tag '-x'")]
    [InlineData("registry.example.com/app:a/b", "repository component 'app:a'")]
    [InlineData("registry.example.com/app@sha256:ABC", "digest 'sha256:ABC'")]
    [InlineData("registry.example.com/app@md5:0123", "digest 'md5:0123'")]
    [InlineData("registry.example.com:99999/app", "registry 'registry.example.com:99999'")]
    [InlineData("bad_host.example.com/app", "registry 'bad_host.example.com'")]
    public void Rejects_a_bad_reference_naming_the_part_that_is_wrong(string text, string named)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(text));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"image reference '{text}': ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Rejects_a_tag_longer_than_128_characters()
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse("registry.example.com/app:" + new string('a', 129)));

        Assert.Contains("tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_back_what_it_parsed_without_the_scheme()
    {
        Assert.Equal("127.0.0.1:5000/app:1@" + Digest, ImageReference.Parse("oci://127.0.0.1:5000/app:1@" + Digest).ToString());
    }
}
