using System.Net.Sockets;
using System.Text.Json;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

public sealed class BridgedNetworkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_bridged_container_has_its_own_address_on_the_bridge_and_a_peer_reaches_it_directly()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        int block = await NetworkTestBed.FreeBlockAsync("10.90");
        string bridge = await bed.AddBridgeAsync();
        string peer = await bed.AddPeerAsync("lan", $"10.90.{block}.2/24", bridge: bridge);
        string id = bed.NewContainerId();
        var spec = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = bridge, Address = $"10.90.{block}.5/24", Gateway = $"10.90.{block}.1" };

        NetworkAttachment container = await bed.Networks.AttachAsync(id, "sensor", spec, CancellationToken.None);

        Assert.Equal($"10.90.{block}.5", container.Address);
        using (JsonDocument veth = JsonDocument.Parse(await NetworkTestBed.IpAsync("-j", "link", "show", NetworkNames.HostVeth(id))))
        {
            Assert.Equal(bridge, veth.RootElement[0].GetProperty("master").GetString());
        }

        string routes = await NetworkTestBed.IpAsync("-n", Path.GetFileName(container.NamespacePath!), "route", "show", "default");
        Assert.Contains($"via 10.90.{block}.1 dev eth0", routes, StringComparison.Ordinal);
        using Socket listener = NamespaceSockets.Listen(container.NamespacePath!, 7003);
        using Socket? connection = await NamespaceSockets.TryConnectAsync(peer, container.Address!, 7003, Patience);
        Assert.NotNull(connection);
        var accepting = NamespaceSockets.AcceptAndEchoAsync(listener, Patience);
        Assert.Equal("echo lan", await NamespaceSockets.ExchangeAsync(connection, "lan", Patience));
        Assert.Equal($"10.90.{block}.2", (await accepting).From);
        Assert.Empty(await bed.RuleCommentsAsync()); // no nftables table for bridged containers

        await bed.Networks.DetachAsync(id, CancellationToken.None);
        await NatNetworkTests.AssertNothingOfAsync(bed, id);
    }

    [Fact]
    public async Task A_lease_left_by_the_same_container_killed_mid_attach_is_taken_back()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        int block = await NetworkTestBed.FreeBlockAsync("10.90");
        string bridge = await bed.AddBridgeAsync();
        string id = bed.NewContainerId();
        Directory.CreateDirectory(Path.Combine(bed.Directory, "leases"));
        File.WriteAllText(Path.Combine(bed.Directory, "leases", $"10.90.{block}.9"), id); // no state: killed in between

        var spec = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = bridge, Address = $"10.90.{block}.9/24" };
        NetworkAttachment container = await bed.Networks.AttachAsync(id, "again", spec, CancellationToken.None);

        Assert.Equal($"10.90.{block}.9", container.Address);
    }

    [Fact]
    public async Task An_address_another_container_uses_is_refused()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        int block = await NetworkTestBed.FreeBlockAsync("10.90");
        string bridge = await bed.AddBridgeAsync();
        var spec = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = bridge, Address = $"10.90.{block}.7/24" };
        string firstId = bed.NewContainerId();
        await bed.Networks.AttachAsync(firstId, "one", spec, CancellationToken.None);
        string secondId = bed.NewContainerId();

        var refused = await Assert.ThrowsAsync<WorkloadStartException>(() => bed.Networks.AttachAsync(secondId, "two", spec, CancellationToken.None));

        Assert.Equal($"network of {secondId}: address 10.90.{block}.7 is already used by container {firstId}", refused.Message);
        await NatNetworkTests.AssertNothingOfAsync(bed, secondId);
    }
}
