using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

public sealed class NetworkCrashSafetyTests
{
    [Fact]
    public async Task An_agent_restarting_after_a_crash_removes_the_networks_of_containers_it_does_not_keep()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string natId = bed.NewContainerId();
        string noneId = bed.NewContainerId();
        string keptId = bed.NewContainerId();
        var forwarded = new ContainerNetwork { Ports = [new PortForward { HostPort = Random.Shared.Next(20000, 60000), ContainerPort = 80 }] };
        await bed.Networks.AttachAsync(natId, "web", forwarded, CancellationToken.None);
        await bed.Networks.AttachAsync(noneId, "batch", new ContainerNetwork { Mode = NetworkModes.None }, CancellationToken.None);
        NetworkAttachment kept = await bed.Networks.AttachAsync(keptId, "kept", new ContainerNetwork(), CancellationToken.None);
        // An attach killed between taking its lease and writing its state leaves only the lease.
        File.WriteAllText(Path.Combine(bed.Directory, "leases", "10.89.0.250"), "half-made");

        ContainerNetworks restarted = bed.NewNetworks();
        await restarted.CleanUpOrphansAsync(new HashSet<string> { keptId }, CancellationToken.None);

        await NatNetworkTests.AssertNothingOfAsync(bed, natId);
        await NatNetworkTests.AssertNothingOfAsync(bed, noneId);
        Assert.False(File.Exists(Path.Combine(bed.Directory, "leases", "10.89.0.250")), "orphan lease left");
        Assert.True(File.Exists(kept.NamespacePath), "a kept container lost its namespace");
        Assert.Contains(NetworkNames.HostVeth(keptId), await NetworkTestBed.HostLinksAsync());

        await restarted.CleanUpOrphansAsync(new HashSet<string>(), CancellationToken.None);
        await NatNetworkTests.AssertNothingOfAsync(bed, keptId);
        Assert.Empty(Directory.GetDirectories(Path.Combine(bed.Directory, "containers")));
    }
}
