using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Networking;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

public sealed class NetworkValidationTests
{
    private readonly ContainerNetworks _networks = new(new NetworkOptions(), Path.Combine(Path.GetTempPath(), "evnet-unused"), NullLogger<ContainerNetworks>.Instance);

    [Theory]
    [InlineData("nat", null)]
    [InlineData("host", null)]
    [InlineData("none", null)]
    [InlineData("overlay", "mode: 'overlay' is not one of none, host, nat, bridged")]
    public void Modes_are_the_four_known_ones(string mode, string? expected) =>
        Assert.Equal(expected, _networks.Validate(new ContainerNetwork { Mode = mode }));

    [Theory]
    [InlineData(8080, 80, "tcp", null)]
    [InlineData(53, 53, "udp", null)]
    [InlineData(0, 80, "tcp", "ports tcp/0: ports must be 1-65535 (host 0, container 80)")]
    [InlineData(8080, 70000, "tcp", "ports tcp/8080: ports must be 1-65535 (host 8080, container 70000)")]
    [InlineData(8080, 80, "sctp", "ports sctp/8080: protocol 'sctp' is not tcp or udp")]
    public void Port_forwards_need_sane_ports_and_tcp_or_udp(int hostPort, int containerPort, string protocol, string? expected) =>
        Assert.Equal(expected, _networks.Validate(new ContainerNetwork
        {
            Ports = [new PortForward { HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol }],
        }));

    [Fact]
    public void A_host_port_forwarded_twice_in_one_spec_is_refused_but_tcp_and_udp_may_share_it()
    {
        PortForward Port(string protocol, int container) => new() { HostPort = 8053, ContainerPort = container, Protocol = protocol };

        Assert.Equal("ports tcp/8053: host port forwarded twice", _networks.Validate(new ContainerNetwork { Ports = [Port("tcp", 53), Port("tcp", 54)] }));
        Assert.Null(_networks.Validate(new ContainerNetwork { Ports = [Port("tcp", 53), Port("udp", 53)] }));
    }

    [Fact]
    public void Ports_outside_nat_mode_are_refused() =>
        Assert.Equal("ports: forwarded only in nat mode, not host", _networks.Validate(new ContainerNetwork
        {
            Mode = NetworkModes.Host,
            Ports = [new PortForward { HostPort = 80, ContainerPort = 80 }],
        }));

    [Fact]
    public void Bridged_needs_an_existing_bridge()
    {
        ContainerNetwork Bridged(string? bridge) => new() { Mode = NetworkModes.Bridged, Bridge = bridge, Address = "192.168.7.5/24" };

        Assert.Equal("bridge: bridged mode needs the host bridge to join", _networks.Validate(Bridged(null)));
        Assert.Equal("bridge: no interface 'evnosuch0' on this host", _networks.Validate(Bridged("evnosuch0")));
        Assert.Equal("bridge: 'lo' is not a bridge", _networks.Validate(Bridged("lo")));
    }

    [Fact]
    public async Task Bridged_needs_an_address_with_prefix_and_a_gateway_in_its_subnet()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string bridge = await bed.AddBridgeAsync();
        ContainerNetwork Bridged(string? address, string? gateway = null) =>
            new() { Mode = NetworkModes.Bridged, Bridge = bridge, Address = address, Gateway = gateway };

        Assert.Null(_networks.Validate(Bridged("192.168.7.5/24", "192.168.7.1")));
        Assert.Equal("address: '192.168.7.5' is not an IPv4 address with prefix (e.g. 192.168.1.50/24)", _networks.Validate(Bridged("192.168.7.5")));
        Assert.Equal("address: '' is not an IPv4 address with prefix (e.g. 192.168.1.50/24)", _networks.Validate(Bridged(null)));
        Assert.Equal("address: 192.168.7.255/24 is the network or broadcast address", _networks.Validate(Bridged("192.168.7.255/24")));
        Assert.Equal("gateway: 'router' is not an IPv4 address", _networks.Validate(Bridged("192.168.7.5/24", "router")));
        Assert.Equal("gateway: 10.0.0.1 is not another address in 192.168.7.0/24", _networks.Validate(Bridged("192.168.7.5/24", "10.0.0.1")));
    }

    [Fact]
    public void Bridged_settings_in_another_mode_are_refused() =>
        Assert.Equal("bridge, address, gateway: only for bridged mode, not nat", _networks.Validate(new ContainerNetwork { Bridge = "br0" }));

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
