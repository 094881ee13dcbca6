using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

public sealed class PlatformSelectorTests
{
    [Theory]
    [InlineData("linux/arm64", "linux/amd64,linux/arm64/v8,linux/arm/v7", "linux/arm64/v8")]
    [InlineData("linux/arm64/v8", "linux/amd64,linux/arm64", "linux/arm64")]
    [InlineData("linux/arm/v7", "linux/arm/v5,linux/arm/v6,linux/amd64", "linux/arm/v6")]
    [InlineData("linux/arm/v7", "linux/arm/v6,linux/arm/v7", "linux/arm/v7")]
    [InlineData("linux/arm/v7", "linux/arm/v6,linux/arm", "linux/arm")]
    [InlineData("linux/amd64", "windows/amd64,linux/amd64", "linux/amd64")]
    public void Chooses_the_manifest_the_platform_runs_best(string wanted, string offered, string chosen)
    {
        ImageIndex index = Index(offered.Split(','));

        Descriptor? choice = PlatformSelector.Choose(index, Parse(wanted));

        Assert.Equal(chosen, choice?.Platform?.ToString());
    }

    [Theory]
    [InlineData("linux/arm/v6", "linux/arm/v7")]
    [InlineData("linux/arm64", "linux/arm/v7,linux/amd64,linux/arm64/v9")]
    [InlineData("linux/amd64", "linux/arm64")]
    public void Chooses_nothing_the_platform_cannot_run(string wanted, string offered)
    {
        Assert.Null(PlatformSelector.Choose(Index(offered.Split(',')), Parse(wanted)));
    }

    private static ImageIndex Index(string[] platforms) => new()
    {
        Manifests = [.. platforms.Select((p, i) => new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = "sha256:" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture),
            Size = 1,
            Platform = Parse(p),
        })],
    };

    private static Platform Parse(string text) => text.Split('/') switch
    {
        [var os, var architecture] => new Platform { Os = os, Architecture = architecture },
        [var os, var architecture, var variant] => new Platform { Os = os, Architecture = architecture, Variant = variant },
        _ => throw new ArgumentException(text),
    };
}
