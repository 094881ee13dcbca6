using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

public sealed class NoneAndHostNetworkTests
{
    [Fact]
    public async Task None_gives_a_namespace_with_only_loopback_up_and_detach_removes_it()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string id = bed.NewContainerId();

        NetworkAttachment attachment = await bed.Networks.AttachAsync(id, "quiet", new ContainerNetwork { Mode = NetworkModes.None }, CancellationToken.None);

        Assert.Equal(NetworkModes.None, attachment.Mode);
        Assert.Null(attachment.Address);
        Assert.NotNull(attachment.NamespacePath);
        Assert.True(File.Exists(attachment.NamespacePath), $"{attachment.NamespacePath} missing");
        Assert.Equal(["lo"], await NetworkTestBed.NamespaceLinksAsync(attachment.NamespacePath));
        string lo = await NetworkTestBed.IpAsync("-n", Path.GetFileName(attachment.NamespacePath), "-br", "link", "show", "lo");
        Assert.Contains("UP", lo, StringComparison.Ordinal);
        Assert.Contains("127.0.1.1\tquiet", File.ReadAllText(attachment.HostsPath), StringComparison.Ordinal);
        Assert.StartsWith("# written by the EdgeVisor agent", File.ReadAllText(attachment.ResolvConfPath), StringComparison.Ordinal);

        await bed.Networks.DetachAsync(id, CancellationToken.None);
        Assert.False(File.Exists(attachment.NamespacePath), "namespace left after detach");
        Assert.False(File.Exists(attachment.HostsPath), "hosts file left after detach");
        await bed.Networks.DetachAsync(id, CancellationToken.None); // idempotent
    }

    [Fact]
    public async Task Host_joins_no_namespace_and_copies_the_hosts_resolver()
    {
        await using var bed = await NetworkTestBed.CreateAsync();
        string id = bed.NewContainerId();
        IReadOnlyList<string> namespacesBefore = Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns") : [];

        NetworkAttachment attachment = await bed.Networks.AttachAsync(id, "sharing", new ContainerNetwork { Mode = NetworkModes.Host }, CancellationToken.None);

        Assert.Null(attachment.NamespacePath);
        Assert.Equal("127.0.0.1", attachment.Address);
        Assert.DoesNotContain(Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns") : [], ns => ns.EndsWith(id, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText("/etc/resolv.conf"), File.ReadAllText(attachment.ResolvConfPath));
        string hosts = File.ReadAllText(attachment.HostsPath);
        Assert.Contains("127.0.0.1\tlocalhost", hosts, StringComparison.Ordinal);
        Assert.Contains("\tsharing\n", hosts, StringComparison.Ordinal);
        Assert.NotNull(namespacesBefore);

        await bed.Networks.DetachAsync(id, CancellationToken.None);
        Assert.False(File.Exists(attachment.ResolvConfPath), "resolv.conf left after detach");
    }
}
