using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

public sealed class ResolverFilesTests
{
    private const string HostResolvConf = """
        # from the DHCP client
        nameserver 127.0.0.53
        nameserver 192.168.1.1
        nameserver ::1
        nameserver 2001:db8::53
        search lan example.test
        options edns0 trust-ad
        """;

    [Fact]
    public void Loopback_name_servers_of_the_host_are_dropped_and_search_and_options_kept() =>
        Assert.Equal(
            "# written by the EdgeVisor agent\nnameserver 192.168.1.1\nnameserver 2001:db8::53\nsearch lan example.test\noptions edns0 trust-ad\n",
            ResolverFiles.ResolvConf(HostResolvConf, []));

    [Fact]
    public void Configured_name_servers_replace_the_hosts() =>
        Assert.Equal(
            "# written by the EdgeVisor agent\nnameserver 9.9.9.9\nsearch lan example.test\noptions edns0 trust-ad\n",
            ResolverFiles.ResolvConf(HostResolvConf, ["9.9.9.9"]));

    [Fact]
    public void Hosts_names_the_container_on_its_address() =>
        Assert.EndsWith("\n10.89.0.2\tweb\n", ResolverFiles.Hosts("web", "10.89.0.2"), StringComparison.Ordinal);
}
