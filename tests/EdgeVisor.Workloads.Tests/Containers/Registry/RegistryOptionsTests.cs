using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Registry;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>Which configured entry names a registry: <c>host:port</c> exactly first, then <c>host</c> for every port.</summary>
public sealed class RegistryOptionsTests
{
    private static readonly RegistryOptions Options = new()
    {
        Credentials =
        [
            new RegistryCredential { Registry = "registry.local", Username = "any-port" },
            new RegistryCredential { Registry = "Registry.Local:5000", Username = "port-5000" },
            new RegistryCredential { Registry = "[fd00::1]", Username = "v6" },
        ],
        Insecure = ["lab.local", "build.local:5000"],
    };

    [Theory]
    [InlineData("registry.local:5000", "port-5000")]
    [InlineData("registry.local:5001", "any-port")]
    [InlineData("REGISTRY.local", "any-port")]
    [InlineData("[fd00::1]:443", "v6")]
    [InlineData("other.local:5000", null)]
    [InlineData("local:5000", null)]
    public void A_host_port_entry_wins_and_a_host_entry_covers_every_port(string registry, string? user) =>
        Assert.Equal(user, Options.CredentialFor(registry)?.Username);

    [Theory]
    [InlineData("lab.local", true)]
    [InlineData("lab.local:8443", true)]
    [InlineData("build.local:5000", true)]
    [InlineData("build.local:5001", false)]
    [InlineData("build.local", false)]
    [InlineData("registry.local", false)]
    public void Insecure_entries_match_the_same_way(string registry, bool insecure) =>
        Assert.Equal(insecure, Options.IsInsecure(registry));

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("192.0.2.1:5000", false)]
    [InlineData("registry.local", false)]
    public void Loopback_registries_are_recognised_with_or_without_a_port(string registry, bool loopback) =>
        Assert.Equal(loopback, RegistryHost.IsLoopback(registry));
}
