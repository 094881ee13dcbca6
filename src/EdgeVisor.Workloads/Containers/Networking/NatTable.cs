using System.Text;
using System.Text.Json;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// The agent's one nftables table (family <c>inet</c>) for the <c>nat</c> network: masquerade of the subnet on the
/// way out, a forward filter that keeps containers unreachable from outside unless a port is forwarded to them, and
/// the port forwards themselves, each rule tagged with a comment naming its container so a detach deletes exactly
/// that container's rules (by handle).
/// </summary>
/// <remarks>
/// Port forwards are DNAT in prerouting (traffic from other hosts and from containers) and output (connections from
/// the host itself to any of its own addresses, 127.0.0.1 included, as <c>curl localhost:8080</c> on the device expects).
/// A loopback-sourced connection leaving through the bridge needs two more things: <c>route_localnet</c> on the bridge
/// (<see cref="LoopbackRouting"/>), without which the kernel refuses to route 127.0.0.0/8 out of a non-loopback
/// interface, and a masquerade to the bridge's address, because the container would answer 127.0.0.1 on its own
/// loopback. route_localnet also lets 127.0.0.0/8 in through the bridge, so a guard drops any packet arriving on the
/// bridge with a loopback address on the wire: a container cannot reach the host's loopback-only services.
/// Rules in other tables (a distribution firewall with a forward policy of drop) still apply to our traffic.
/// </remarks>
internal sealed class NatTable(string table, string bridge, Ipv4Subnet subnet)
{
    private const string PreroutingChain = "prerouting";
    private const string OutputChain = "output";
    private const string Loopback = "127.0.0.0/8";
    private const string TagPrefix = "edgevisor container ";

    /// <summary>
    /// Creates the table and its chains if missing and (re)writes the static rules, in one atomic nft transaction;
    /// the port-forward chains are created but never flushed, so other containers' forwards survive.
    /// </summary>
    public Task EnsureAsync(CancellationToken ct)
    {
        string family = $"inet {table}";
        string script =
            $$"""
            add table {{family}}
            add chain {{family}} guard { type filter hook prerouting priority raw; policy accept; }
            flush chain {{family}} guard
            add rule {{family}} guard iifname "{{bridge}}" ip saddr {{Loopback}} drop
            add rule {{family}} guard iifname "{{bridge}}" ip daddr {{Loopback}} drop
            add chain {{family}} {{PreroutingChain}} { type nat hook prerouting priority dstnat; policy accept; }
            add chain {{family}} {{OutputChain}} { type nat hook output priority -100; policy accept; }
            add chain {{family}} postrouting { type nat hook postrouting priority srcnat; policy accept; }
            flush chain {{family}} postrouting
            add rule {{family}} postrouting ip saddr {{subnet}} oifname != "{{bridge}}" masquerade
            add rule {{family}} postrouting oifname "{{bridge}}" ip saddr {{subnet}} ct status dnat masquerade
            add rule {{family}} postrouting oifname "{{bridge}}" ip saddr {{Loopback}} ct status dnat masquerade
            add chain {{family}} forward { type filter hook forward priority filter; policy accept; }
            flush chain {{family}} forward
            add rule {{family}} forward ct state established,related accept
            add rule {{family}} forward iifname "{{bridge}}" accept
            add rule {{family}} forward oifname "{{bridge}}" ct status dnat accept
            add rule {{family}} forward oifname "{{bridge}}" drop

            """;

        // The second postrouting rule is the hairpin: a container reaching another (or itself) through a host port
        // must see the reply come from the host address it dialled, not straight from the other container. The third
        // is the host dialling 127.0.0.1:hostPort (see the remarks). The guard runs before connection tracking, so it
        // sees the addresses on the wire: replies to a loopback client arrive addressed to the bridge and pass.
        return HostCommand.RunAsync("nft", ["-f", "-"], ct, script);
    }

    /// <summary>Adds <paramref name="containerId"/>'s port forwards to <paramref name="address"/> (one transaction).</summary>
    public async Task AddForwardsAsync(string containerId, uint address, IReadOnlyList<PortForward> ports, CancellationToken ct)
    {
        if (ports.Count == 0)
        {
            return;
        }

        await LoopbackRouting.EnableAsync(bridge, ct);

        var script = new StringBuilder();
        foreach (PortForward port in ports)
        {
            foreach (string chain in new[] { PreroutingChain, OutputChain })
            {
                script.Append($"add rule inet {table} {chain} fib daddr type local {port.Protocol} dport {port.HostPort} ")
                    .Append($"dnat ip to {Ipv4Text.Format(address)}:{port.ContainerPort} comment \"{Tag(containerId)}\"\n");
            }
        }

        await HostCommand.RunAsync("nft", ["-f", "-"], ct, script.ToString());
    }

    /// <summary>
    /// Deletes every rule tagged with <paramref name="containerId"/>, and turns the bridge's <c>route_localnet</c> off
    /// again when no container's forward is left; nothing to do when there is no table.
    /// </summary>
    public async Task RemoveForwardsAsync(string containerId, CancellationToken ct)
    {
        string listing;
        try
        {
            listing = await HostCommand.RunAsync("nft", ["-j", "-a", "list", "table", "inet", table], ct);
        }
        catch (HostCommandException)
        {
            // Asked only after a failed listing (one nft run less per detach): no table, so no rules.
            if (!await ExistsAsync(ct))
            {
                return;
            }

            throw;
        }

        string tag = Tag(containerId);
        var rules = ContainerRules(listing);
        var script = new StringBuilder();
        foreach ((string chain, long handle, _) in rules.Where(rule => rule.Tag == tag))
        {
            script.Append($"delete rule inet {table} {chain} handle {handle}\n");
        }

        if (script.Length > 0)
        {
            await HostCommand.RunAsync("nft", ["-f", "-"], ct, script.ToString());
        }

        if (rules.All(rule => rule.Tag == tag))
        {
            await LoopbackRouting.DisableAsync(bridge, ct);
        }
    }

    /// <summary>True when the table exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        string listing = await HostCommand.RunAsync("nft", ["-j", "list", "tables"], ct);
        using var document = JsonDocument.Parse(listing);
        return Items(document, "table").Any(t => t.GetProperty("family").GetString() == "inet" && t.GetProperty("name").GetString() == table);
    }

    /// <summary>The comment that marks a container's rules.</summary>
    public static string Tag(string containerId) => TagPrefix + containerId;

    /// <summary>Chain, handle and comment of each rule in an <c>nft -j -a</c> listing tagged for a container.</summary>
    internal static List<(string Chain, long Handle, string Tag)> ContainerRules(string listing)
    {
        using var document = JsonDocument.Parse(listing);
        return Items(document, "rule")
            .Select(rule => (Rule: rule, Tag: rule.TryGetProperty("comment", out JsonElement comment) ? comment.GetString() ?? "" : ""))
            .Where(rule => rule.Tag.StartsWith(TagPrefix, StringComparison.Ordinal))
            .Select(rule => (rule.Rule.GetProperty("chain").GetString()!, rule.Rule.GetProperty("handle").GetInt64(), rule.Tag))
            .ToList();
    }

    // nft -j prints {"nftables": [{"metainfo": …}, {"table": …}, {"chain": …}, {"rule": …}, …]}.
    private static IEnumerable<JsonElement> Items(JsonDocument document, string kind) =>
        document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty(kind, out _))
            .Select(item => item.GetProperty(kind))
            .ToList();
}
