using System.Net.Sockets;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Networking;
using Xunit.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

/// <summary>The agent's nat network on real namespaces, veth pairs, a bridge and an nftables table.</summary>
public sealed class NatNetworkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    // Long enough for a SYN to be answered many times over on a veth; a dropped one is never answered.
    private static readonly TimeSpan DropPatience = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task A_container_reaches_an_outside_peer_which_sees_the_hosts_address()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var link = await NetworkTestBed.FreeLinkAsync();
        string peer = await bed.AddPeerAsync("lan", link.Peer, hostAddress: link.Host);
        NetworkAttachment container = await bed.Networks.AttachAsync(bed.NewContainerId(), "web", new ContainerNetwork(), CancellationToken.None);
        using Socket listener = NamespaceSockets.Listen(peer, 7000);

        using Socket? connection = await NamespaceSockets.TryConnectAsync(container.NamespacePath, link.PeerAddress, 7000, Patience);
        Assert.NotNull(connection);
        var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
        Assert.Equal("echo hello", await NamespaceSockets.ExchangeAsync(connection, "hello", Patience));
        (string from, _) = await accepting;

        Assert.Equal(link.HostAddress, from); // masqueraded: the peer has no route back to the container subnet
        Assert.StartsWith($"10.89.", container.Address, StringComparison.Ordinal);
        Assert.Equal(NetworkModes.Nat, container.Mode);
    }

    [Fact]
    public async Task An_outside_peer_cannot_reach_a_container_even_with_a_route_to_its_subnet()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var link = await NetworkTestBed.FreeLinkAsync();
        string peer = await bed.AddPeerAsync("lan", link.Peer, hostAddress: link.Host);
        NetworkAttachment container = await bed.Networks.AttachAsync(bed.NewContainerId(), "web", new ContainerNetwork(), CancellationToken.None);
        await NetworkTestBed.IpAsync("-n", Path.GetFileName(peer), "route", "add", bed.Options.Subnet, "via", link.HostAddress);
        using Socket listener = NamespaceSockets.Listen(container.NamespacePath!, 7001);

        using (Socket? fromHost = await NamespaceSockets.TryConnectAsync(null, container.Address!, 7001, Patience))
        {
            Assert.NotNull(fromHost); // the listener is there: the host itself may talk to its containers
        }

        using Socket? fromPeer = await NamespaceSockets.TryConnectAsync(peer, container.Address!, 7001, DropPatience);
        Assert.Null(fromPeer);
    }

    [Fact]
    public async Task A_forwarded_host_port_reaches_the_containers_listener_from_a_peer_and_from_the_host()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var link = await NetworkTestBed.FreeLinkAsync();
        string peer = await bed.AddPeerAsync("lan", link.Peer, hostAddress: link.Host);
        int hostPort = Random.Shared.Next(20000, 60000);
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = hostPort, ContainerPort = 8080 }] };
        NetworkAttachment container = await bed.Networks.AttachAsync(bed.NewContainerId(), "web", spec, CancellationToken.None);
        using Socket listener = NamespaceSockets.Listen(container.NamespacePath!, 8080);

        foreach (string? from in new[] { peer, null })
        {
            using Socket? connection = await NamespaceSockets.TryConnectAsync(from, link.HostAddress, hostPort, Patience);
            Assert.True(connection is not null, $"no connection to {link.HostAddress}:{hostPort} from {from ?? "the host"}");
            var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
            Assert.Equal("echo forwarded", await NamespaceSockets.ExchangeAsync(connection, "forwarded", Patience));
            await accepting;
        }
    }

    [Fact]
    public async Task A_forwarded_host_port_answers_on_the_hosts_loopback_and_a_loopback_service_gets_its_port_back_on_detach()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        using Socket hostService = ListenOnLoopback(0); // the host's own service on the port about to be forwarded
        using Socket otherHostService = ListenOnLoopback(0);
        int hostPort = Port(hostService);
        string id = bed.NewContainerId();
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = hostPort, ContainerPort = 8080 }] };
        NetworkAttachment container = await bed.Networks.AttachAsync(id, "web", spec, CancellationToken.None);
        using Socket listener = NamespaceSockets.Listen(container.NamespacePath!, 8080);

        Assert.True(LoopbackRouting.IsEnabled(bed.Options.BridgeName), "route_localnet is off on the bridge");
        Assert.Equal(Bridge(bed), await ExchangeOnLoopbackAsync(hostPort, listener, "to the container"));
        Assert.Equal("127.0.0.1", await ExchangeOnLoopbackAsync(Port(otherHostService), otherHostService, "not forwarded"));

        await bed.Networks.DetachAsync(id, CancellationToken.None);

        Assert.Equal("127.0.0.1", await ExchangeOnLoopbackAsync(hostPort, hostService, "to the host again"));
        Assert.False(LoopbackRouting.IsEnabled(bed.Options.BridgeName), "route_localnet stayed on without a forward");
    }

    [Fact]
    public async Task A_container_routing_127_0_0_1_to_the_bridge_does_not_reach_the_hosts_loopback_services()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        using Socket hostService = ListenOnLoopback(0);
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = Random.Shared.Next(20000, 60000), ContainerPort = 80 }] };
        NetworkAttachment container = await bed.Networks.AttachAsync(bed.NewContainerId(), "web", spec, CancellationToken.None);
        Assert.True(LoopbackRouting.IsEnabled(bed.Options.BridgeName), "route_localnet is off on the bridge");

        // What a container with CAP_NET_ADMIN in its namespace can do: drop its own loopback address, route 127.0.0.1
        // to the host and accept loopback-sourced answers. The bridge's route_localnet would let the host take such a
        // connection into its loopback-only services; the guard must drop it.
        string ns = Path.GetFileName(container.NamespacePath!);
        await NetworkTestBed.IpAsync("-n", ns, "address", "delete", "127.0.0.1/8", "dev", "lo");
        await NetworkTestBed.IpAsync("-n", ns, "route", "add", "127.0.0.1/32", "via", Bridge(bed), "dev", "eth0");
        await NetworkTestBed.IpAsync("netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.conf.eth0.route_localnet=1");

        using Socket? connection = await NamespaceSockets.TryConnectAsync(container.NamespacePath, "127.0.0.1", Port(hostService), DropPatience);
        Assert.Null(connection);
    }

    [Fact]
    public async Task Route_localnet_stays_on_the_bridge_while_another_container_still_forwards_a_port()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        PortForward Port() => new() { HostPort = Random.Shared.Next(20000, 60000), ContainerPort = 80 };
        string first = bed.NewContainerId();
        string second = bed.NewContainerId();
        await bed.Networks.AttachAsync(first, "one", new ContainerNetwork { Ports = [Port()] }, CancellationToken.None);
        await bed.Networks.AttachAsync(second, "two", new ContainerNetwork { Ports = [Port()] }, CancellationToken.None);

        await bed.Networks.DetachAsync(first, CancellationToken.None);
        Assert.True(LoopbackRouting.IsEnabled(bed.Options.BridgeName), "route_localnet went off under the second container's forward");
        await bed.Networks.DetachAsync(second, CancellationToken.None);
        Assert.False(LoopbackRouting.IsEnabled(bed.Options.BridgeName), "route_localnet stayed on without a forward");
        Assert.Equal("0", File.ReadAllText("/proc/sys/net/ipv4/conf/all/route_localnet").Trim());
    }

    [Fact]
    public async Task A_container_reaches_another_through_a_forwarded_host_port_and_is_seen_as_the_bridge()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var link = await NetworkTestBed.FreeLinkAsync();
        await bed.AddPeerAsync("lan", link.Peer, hostAddress: link.Host);
        int hostPort = Random.Shared.Next(20000, 60000);
        var forwarded = new ContainerNetwork { Ports = [new PortForward { HostPort = hostPort, ContainerPort = 8080 }] };
        NetworkAttachment server = await bed.Networks.AttachAsync(bed.NewContainerId(), "server", forwarded, CancellationToken.None);
        NetworkAttachment client = await bed.Networks.AttachAsync(bed.NewContainerId(), "client", new ContainerNetwork(), CancellationToken.None);
        using Socket listener = NamespaceSockets.Listen(server.NamespacePath!, 8080);

        using Socket? connection = await NamespaceSockets.TryConnectAsync(client.NamespacePath, link.HostAddress, hostPort, Patience);
        Assert.NotNull(connection);
        var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
        Assert.Equal("echo hairpin", await NamespaceSockets.ExchangeAsync(connection, "hairpin", Patience));

        // Masqueraded to the bridge, so the server's reply goes back through the host's translation, not straight to
        // the client (which would drop a reply from an address it never dialled).
        string bridgeAddress = bed.Options.Subnet.Replace(".0/24", ".1", StringComparison.Ordinal);
        Assert.Equal(bridgeAddress, (await accepting).From);
    }

    [Fact]
    public async Task The_first_nat_attach_turns_forwarding_on_keeps_the_value_it_found_and_logs_it_once()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string setting = Path.Combine(Path.GetTempPath(), $"evnet-ip_forward-{bed.Suffix}"); // stands in for the host-wide sysctl
        File.WriteAllText(setting, "0\n");
        try
        {
            var logger = new RecordingLogger<ContainerNetworks>();
            var networks = new ContainerNetworks(bed.Options, bed.Directory, logger, setting);

            await networks.AttachAsync(bed.NewContainerId(), "one", new ContainerNetwork(), CancellationToken.None);
            await networks.AttachAsync(bed.NewContainerId(), "two", new ContainerNetwork(), CancellationToken.None);

            Assert.Equal("1", File.ReadAllText(setting).Trim());
            Assert.Equal("0", File.ReadAllText(Path.Combine(bed.Directory, "ip_forward.before")).Trim());
            var enabled = Assert.Single(logger.Entries, entry => entry.Message.Contains("ip_forward was 0", StringComparison.Ordinal));
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, enabled.Level);
        }
        finally
        {
            File.Delete(setting);
        }
    }

    [Fact]
    public async Task Two_containers_get_different_addresses_and_reach_each_other()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        NetworkAttachment first = await bed.Networks.AttachAsync(bed.NewContainerId(), "one", new ContainerNetwork(), CancellationToken.None);
        NetworkAttachment second = await bed.Networks.AttachAsync(bed.NewContainerId(), "two", new ContainerNetwork(), CancellationToken.None);
        Assert.NotEqual(first.Address, second.Address);
        Assert.NotEqual(first.NamespacePath, second.NamespacePath);
        using Socket listener = NamespaceSockets.Listen(second.NamespacePath!, 7002);

        using Socket? connection = await NamespaceSockets.TryConnectAsync(first.NamespacePath, second.Address!, 7002, Patience);
        Assert.NotNull(connection);
        var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
        Assert.Equal("echo neighbour", await NamespaceSockets.ExchangeAsync(connection, "neighbour", Patience));
        Assert.Equal(first.Address, (await accepting).From); // on the bridge: no address translation
        Assert.EndsWith($"{second.Address}\ttwo\n", File.ReadAllText(second.HostsPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detach_removes_veth_namespace_lease_and_rules_and_the_address_is_handed_out_again()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string id = bed.NewContainerId();
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = Random.Shared.Next(20000, 60000), ContainerPort = 53, Protocol = "udp" }] };
        await bed.Networks.AttachAsync(bed.NewContainerId(), "warm", new ContainerNetwork(), CancellationToken.None); // bridge and table exist
        var timer = System.Diagnostics.Stopwatch.StartNew();
        NetworkAttachment attachment = await bed.Networks.AttachAsync(id, "dns", spec, CancellationToken.None);
        output.WriteLine($"nat attach with a port forward: {timer.Elapsed.TotalMilliseconds:0} ms");
        string veth = NetworkNames.HostVeth(id);
        Assert.Contains(veth, await NetworkTestBed.HostLinksAsync());
        Assert.Equal(["eth0", "lo"], (await NetworkTestBed.NamespaceLinksAsync(attachment.NamespacePath!)).Order());
        Assert.Equal(2, (await bed.RuleCommentsAsync()).Count(c => c == NatTable.Tag(id))); // prerouting and output

        timer.Restart();
        await bed.Networks.DetachAsync(id, CancellationToken.None);
        output.WriteLine($"nat detach: {timer.Elapsed.TotalMilliseconds:0} ms");

        Assert.DoesNotContain(veth, await NetworkTestBed.HostLinksAsync());
        Assert.False(File.Exists(attachment.NamespacePath), "namespace left");
        Assert.DoesNotContain(NatTable.Tag(id), await bed.RuleCommentsAsync());
        Assert.NotEmpty(await bed.RuleCommentsAsync()); // the table's own rules stay for the next container
        Assert.Single(Directory.GetFiles(Path.Combine(bed.Directory, "leases"))); // the warm-up container's
        Assert.False(Directory.Exists(Path.Combine(bed.Directory, "containers", id)), "state left");
        await bed.Networks.DetachAsync(id, CancellationToken.None); // idempotent

        NetworkAttachment next = await bed.Networks.AttachAsync(bed.NewContainerId(), "dns", spec, CancellationToken.None);
        Assert.Equal(attachment.Address, next.Address);
    }

    [Fact]
    public async Task An_exhausted_subnet_refuses_the_next_container_and_leaves_nothing_of_it()
    {
        // A /30 holds the network, the bridge, one container and the broadcast address.
        int block = await NetworkTestBed.FreeBlockAsync("10.89");
        await using var bed = await NetworkTestBed.CreateAsync(options => options.Subnet = $"10.89.{block}.0/30");
        NetworkAttachment only = await bed.Networks.AttachAsync(bed.NewContainerId(), "only", new ContainerNetwork(), CancellationToken.None);
        Assert.Equal($"10.89.{block}.2", only.Address);
        string refusedId = bed.NewContainerId();

        var refused = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            bed.Networks.AttachAsync(refusedId, "extra", new ContainerNetwork(), CancellationToken.None));

        Assert.Equal($"network of {refusedId}: no free address left in 10.89.{block}.0/30 (every one is leased to a container)", refused.Message);
        await AssertNothingOfAsync(bed, refusedId);
    }

    [Fact]
    public async Task A_host_port_forwarded_to_another_container_is_refused_and_leaves_nothing()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        int hostPort = Random.Shared.Next(20000, 60000);
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = hostPort, ContainerPort = 80 }] };
        string firstId = bed.NewContainerId();
        await bed.Networks.AttachAsync(firstId, "web", spec, CancellationToken.None);
        string secondId = bed.NewContainerId();

        var refused = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync(secondId, "web", spec, CancellationToken.None));

        Assert.Equal($"network of {secondId}: host port tcp/{hostPort} is already forwarded to container {firstId}", refused.Message);
        await AssertNothingOfAsync(bed, secondId);
        Assert.Equal(2, (await bed.RuleCommentsAsync()).Count(c => c == NatTable.Tag(firstId)));
    }

    [Fact]
    public async Task An_attach_cancelled_at_any_point_leaves_nothing_behind()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        var spec = new ContainerNetwork { Ports = [new PortForward { HostPort = Random.Shared.Next(20000, 60000), ContainerPort = 80 }] };
        await bed.Networks.AttachAsync(bed.NewContainerId(), "warm", new ContainerNetwork(), CancellationToken.None); // bridge and table exist

        int cancelled = 0;
        for (int delayMs = 0; delayMs <= 60; delayMs += 4)
        {
            string id = bed.NewContainerId();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(delayMs));
            try
            {
                await bed.Networks.AttachAsync(id, "web", spec, cancel.Token);
                await bed.Networks.DetachAsync(id, CancellationToken.None); // finished before the cancel
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            await AssertNothingOfAsync(bed, id);
        }

        Assert.True(cancelled > 0, "no attach was cancelled part-way");
    }

    private static Socket ListenOnLoopback(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        socket.Listen();
        return socket;
    }

    private static int Port(Socket listener) => ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;

    private static string Bridge(NetworkTestBed bed) => bed.Options.Subnet.Replace(".0/24", ".1", StringComparison.Ordinal);

    /// <summary>Connects from the host to 127.0.0.1:<paramref name="port"/>, which <paramref name="listener"/> must answer; the address it saw.</summary>
    private static async Task<string> ExchangeOnLoopbackAsync(int port, Socket listener, string line)
    {
        using Socket? connection = await NamespaceSockets.TryConnectAsync(null, "127.0.0.1", port, Patience);
        Assert.True(connection is not null, $"no connection to 127.0.0.1:{port} ({line})");
        var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
        Assert.Equal("echo " + line, await NamespaceSockets.ExchangeAsync(connection, line, Patience));
        return (await accepting).From;
    }

    internal static async Task AssertNothingOfAsync(NetworkTestBed bed, string id)
    {
        Assert.DoesNotContain(NetworkNames.HostVeth(id), await NetworkTestBed.HostLinksAsync());
        Assert.False(File.Exists(NetworkNames.NamespacePath(NetworkNames.Namespace(id))), $"namespace of {id} left");
        Assert.DoesNotContain(NatTable.Tag(id), await bed.RuleCommentsAsync());
        Assert.False(Directory.Exists(Path.Combine(bed.Directory, "containers", id)), $"state of {id} left");
        string leases = Path.Combine(bed.Directory, "leases");
        Assert.DoesNotContain(id, Directory.Exists(leases) ? Directory.GetFiles(leases).Select(File.ReadAllText) : []);
    }
}
