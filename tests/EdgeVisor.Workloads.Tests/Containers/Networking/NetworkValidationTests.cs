using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Networking;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

/// <summary>
/// What only the host can say about a spec (<see cref="ContainerNetworks.Validate"/>). The spec's own shape (modes,
/// ports, addresses, gateways) is the protocol's gate: EdgeVisor.Protocol.Tests' ContainerRulesTests.
/// </summary>
public sealed class NetworkValidationTests
{
    private readonly ContainerNetworks _networks = new(new NetworkOptions(), Path.Combine(Path.GetTempPath(), "evnet-unused"), NullLogger<ContainerNetworks>.Instance);

    [Fact]
    public void Bridged_needs_an_existing_bridge()
    {
        ContainerNetwork Bridged(string? bridge) => new() { Mode = NetworkModes.Bridged, Bridge = bridge, Address = "192.168.7.5/24" };

        Assert.Equal("bridge: no interface '' on this host", _networks.Validate(Bridged(null)));
        Assert.Equal("bridge: no interface 'evnosuch0' on this host", _networks.Validate(Bridged("evnosuch0")));
        Assert.Equal("bridge: no interface '../lo' on this host", _networks.Validate(Bridged("../lo")));
        Assert.Equal("bridge: 'lo' is not a bridge", _networks.Validate(Bridged("lo")));
    }

    [Fact]
    public async Task Bridged_on_a_host_bridge_passes_unless_its_address_is_in_the_agents_nat_subnet()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string bridge = await bed.AddBridgeAsync();
        string inNat = bed.Options.Subnet.Replace(".0/24", ".77/24", StringComparison.Ordinal);
        ContainerNetwork Bridged(string address) => new() { Mode = NetworkModes.Bridged, Bridge = bridge, Address = address };

        Assert.Null(bed.Networks.Validate(Bridged("192.168.7.5/24")));
        Assert.Equal($"address: {inNat} is in the agent's nat subnet {bed.Options.Subnet} (Containers:Network:Subnet)", bed.Networks.Validate(Bridged(inNat)));
    }

    [Fact]
    public async Task Nat_is_refused_while_another_host_interface_has_an_address_in_the_agents_subnet()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        Assert.Null(bed.Networks.Validate(new ContainerNetwork()));
        string clash = bed.Options.Subnet.Replace(".0/24", ".200/24", StringComparison.Ordinal);
        await bed.AddPeerAsync("clash", "192.0.2.200/24", hostAddress: clash);

        string? problem = bed.Networks.Validate(new ContainerNetwork());

        Assert.Equal($"mode: the nat subnet {bed.Options.Subnet} (Containers:Network:Subnet) overlaps evp{bed.Suffix}c {clash} on this host", problem);
        var refused = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync(bed.NewContainerId(), "web", new ContainerNetwork(), CancellationToken.None));
        Assert.EndsWith(problem!, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(bed.Options.BridgeName, await NetworkTestBed.HostLinksAsync());
    }

    [Theory]
    [InlineData("lo", "10.89.0.0/24", "mode: host interface 'lo' (Containers:Network:BridgeName) exists and is not a bridge")]
    [InlineData("evnosuch0", "10.89.0.1/24", "mode: agent configuration Containers:Network:Subnet '10.89.0.1/24' is not an IPv4 network with a prefix of 8-30 (e.g. 10.89.0.0/24)")]
    [InlineData("evnosuch0", "10.89.0.0/31", "mode: agent configuration Containers:Network:Subnet '10.89.0.0/31' is not an IPv4 network with a prefix of 8-30 (e.g. 10.89.0.0/24)")]
    public void Nat_is_refused_when_the_configured_bridge_is_another_kind_of_interface_or_the_subnet_unusable(string bridge, string subnet, string expected)
    {
        var networks = new ContainerNetworks(new NetworkOptions { BridgeName = bridge, Subnet = subnet }, Path.Combine(Path.GetTempPath(), "evnet-unused"), NullLogger<ContainerNetworks>.Instance);

        Assert.Equal(expected, networks.Validate(new ContainerNetwork()));
    }

    [Fact]
    public async Task A_refused_spec_or_container_id_throws_a_start_exception_and_changes_nothing()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var bad = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "evnosuch0", Address = "192.168.7.5/24" };

        var refused = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync(bed.NewContainerId(), "web", bad, CancellationToken.None));
        Assert.EndsWith("bridge: no interface 'evnosuch0' on this host", refused.Message, StringComparison.Ordinal);
        var badId = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync("../etc", "web", new ContainerNetwork(), CancellationToken.None));
        Assert.Contains("container id '../etc'", badId.Message, StringComparison.Ordinal);
        var badHost = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync(bed.NewContainerId(), "web\n1.2.3.4 bank", new ContainerNetwork(), CancellationToken.None));
        Assert.Contains("host name", badHost.Message, StringComparison.Ordinal);

        Assert.False(Directory.Exists(bed.Directory), "a refused attach wrote state");
        Assert.DoesNotContain(bed.Options.BridgeName, await NetworkTestBed.HostLinksAsync());
    }
}
