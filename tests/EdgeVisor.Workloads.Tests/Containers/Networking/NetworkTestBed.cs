using System.Text.Json;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Networking;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

/// <summary>
/// One test's private piece of the host's network: its own bridge name, nat subnet, nftables table, state directory
/// and container ids, plus any "outside" peers it adds. Disposing removes all of it whether the test passed or not.
/// </summary>
internal sealed class NetworkTestBed : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(15);

    private readonly List<string> _containerIds = [];
    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];
    private int _nextContainer;

    private NetworkTestBed(string suffix, int natBlock)
    {
        Suffix = suffix;
        Directory = Path.Combine(Path.GetTempPath(), "evnet-" + suffix);
        Options = new NetworkOptions
        {
            BridgeName = "evtb" + suffix,
            Subnet = $"10.89.{natBlock}.0/24",
            NftTable = "evt_" + suffix,
            Nameservers = [],
        };
        Networks = NewNetworks();
    }

    public string Suffix { get; }

    public string Directory { get; }

    public NetworkOptions Options { get; }

    public ContainerNetworks Networks { get; }

    public static async Task<NetworkTestBed> CreateAsync(Action<NetworkOptions>? adjust = null)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("container network tests need Linux and root (they make namespaces, veth pairs, bridges and nftables tables)");
        }

        string suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        var bed = new NetworkTestBed(suffix, await FreeBlockAsync("10.89"));
        adjust?.Invoke(bed.Options);

        return bed;
    }

    /// <summary>Another instance over the same directory and options: the agent after a restart.</summary>
    public ContainerNetworks NewNetworks() => new(Options, Directory, NullLogger<ContainerNetworks>.Instance);

    /// <summary>A container id unique to this test, removed at dispose.</summary>
    public string NewContainerId()
    {
        string id = $"t{Suffix}-{_nextContainer++}";
        _containerIds.Add(id);
        return id;
    }

    /// <summary>A bridge of this test's own (for bridged mode), removed at dispose.</summary>
    public async Task<string> AddBridgeAsync()
    {
        string name = "evtx" + Suffix;
        _links.Add(name);
        await IpAsync("link", "add", "name", name, "type", "bridge");
        await IpAsync("link", "set", name, "up");
        return name;
    }

    /// <summary>
    /// A stand-in LAN peer: a namespace linked by a veth pair whose host end either has <paramref name="hostAddress"/>
    /// (a routed /30 link to the host) or joins <paramref name="bridge"/>; the peer end gets <paramref name="peerAddress"/>.
    /// </summary>
    public async Task<string> AddPeerAsync(string name, string peerAddress, string? hostAddress = null, string? bridge = null)
    {
        string ns = $"evt-{Suffix}-{name}";
        string hostEnd = $"evp{Suffix}{name[0]}";
        _namespaces.Add(ns);
        _links.Add(hostEnd);
        await IpAsync("netns", "add", ns);
        await IpAsync("link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
        if (hostAddress is not null)
        {
            await IpAsync("address", "add", hostAddress, "dev", hostEnd);
        }

        if (bridge is not null)
        {
            await IpAsync("link", "set", hostEnd, "master", bridge);
        }

        await IpAsync("link", "set", hostEnd, "up");
        await IpAsync("-n", ns, "address", "add", peerAddress, "dev", "eth0");
        await IpAsync("-n", ns, "link", "set", "eth0", "up");
        await IpAsync("-n", ns, "link", "set", "lo", "up");
        return "/run/netns/" + ns;
    }

    /// <summary>
    /// A /30 in 10.92.0.0/16 no route uses yet: (host address, peer address), both with prefix. Not in 10.89/16 or
    /// 10.91/16, the nat subnets of this and the driver's test beds, which a nat attach refuses to overlap.
    /// </summary>
    public static async Task<(string Host, string Peer, string PeerAddress, string HostAddress)> FreeLinkAsync()
    {
        string routes = await IpAsync("-j", "route", "show");
        while (true)
        {
            int block = Random.Shared.Next(16384);
            string prefix = $"10.92.{block >> 6}.{(block & 63) * 4}";
            if (!routes.Contains($"\"{prefix}/30\"", StringComparison.Ordinal))
            {
                string host = $"10.92.{block >> 6}.{(block & 63) * 4 + 1}";
                string peer = $"10.92.{block >> 6}.{(block & 63) * 4 + 2}";
                return (host + "/30", peer + "/30", peer, host);
            }
        }
    }

    /// <summary>A third octet x such that <paramref name="prefix"/>.x.0/24 is not routed on this host yet.</summary>
    public static async Task<int> FreeBlockAsync(string prefix)
    {
        string routes = await IpAsync("-j", "route", "show");
        while (true)
        {
            int block = Random.Shared.Next(1, 255);
            if (!routes.Contains($"\"{prefix}.{block}.0/24\"", StringComparison.Ordinal))
            {
                return block;
            }
        }
    }

    /// <summary>Names of the host's interfaces (<c>ip -j link</c>).</summary>
    public static async Task<IReadOnlyList<string>> HostLinksAsync() => LinkNames(await IpAsync("-j", "link", "show"));

    /// <summary>Names of the interfaces inside a named namespace.</summary>
    public static async Task<IReadOnlyList<string>> NamespaceLinksAsync(string namespacePath) =>
        LinkNames(await IpAsync("-n", Path.GetFileName(namespacePath), "-j", "link", "show"));

    /// <summary>The rules' comments in this test's table (<c>nft -j list table</c>); empty when the table is gone.</summary>
    public async Task<IReadOnlyList<string>> RuleCommentsAsync()
    {
        ProcessResult listing = await ProcessRunner.RunAsync("nft", ["-j", "list", "table", "inet", Options.NftTable], "/", ToolTimeout);
        if (listing.ExitCode != 0)
        {
            return [];
        }

        using var document = JsonDocument.Parse(listing.Stdout);
        return document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty("rule", out _))
            .Select(item => item.GetProperty("rule").TryGetProperty("comment", out JsonElement c) ? c.GetString()! : "")
            .ToList();
    }

    public static async Task<string> IpAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", arguments, "/", ToolTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{result.CommandLine} failed: {result.Stderr.Trim()}");
        }

        return ProcessRunner.AsText(result.Stdout);
    }

    public async ValueTask DisposeAsync()
    {
        // Through the product first (it knows its own objects), then by name in case it failed.
        var networks = NewNetworks();
        foreach (string id in _containerIds)
        {
            try
            {
                await networks.DetachAsync(id, CancellationToken.None);
            }
            catch (Exception)
            {
                // removed below by name
            }

            _namespaces.Add(NetworkNames.Namespace(id));
            _links.Add(NetworkNames.HostVeth(id));
        }

        foreach (string link in _links.Append(Options.BridgeName))
        {
            await ProcessRunner.RunAsync("ip", ["link", "delete", link], "/", ToolTimeout);
        }

        foreach (string ns in _namespaces)
        {
            if (File.Exists("/run/netns/" + ns))
            {
                await ProcessRunner.RunAsync("ip", ["netns", "delete", ns], "/", ToolTimeout);
            }
        }

        await ProcessRunner.RunAsync("nft", ["delete", "table", "inet", Options.NftTable], "/", ToolTimeout);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static List<string> LinkNames(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(link => link.GetProperty("ifname").GetString()!).ToList();
    }
}
