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
/// the host itself to one of its own addresses). A connection to 127.0.0.1:hostPort is not forwarded: the kernel
/// refuses to route a loopback-sourced packet out of the bridge unless <c>route_localnet</c> is enabled, which
/// would expose 127.0.0.0/8 services to the network, so it is left off.
/// Rules in other tables (a distribution firewall with a forward policy of drop) still apply to our traffic.
/// </remarks>
internal sealed class NatTable(string table, string bridge, Ipv4Subnet subnet)
{
    private const string PreroutingChain = "prerouting";
    private const string OutputChain = "output";

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
            add chain {{family}} {{PreroutingChain}} { type nat hook prerouting priority dstnat; policy accept; }
            add chain {{family}} {{OutputChain}} { type nat hook output priority -100; policy accept; }
            add chain {{family}} postrouting { type nat hook postrouting priority srcnat; policy accept; }
            flush chain {{family}} postrouting
            add rule {{family}} postrouting ip saddr {{subnet}} oifname != "{{bridge}}" masquerade
            add rule {{family}} postrouting oifname "{{bridge}}" ip saddr {{subnet}} ct status dnat masquerade
            add chain {{family}} forward { type filter hook forward priority filter; policy accept; }
            flush chain {{family}} forward
            add rule {{family}} forward ct state established,related accept
            add rule {{family}} forward iifname "{{bridge}}" accept
            add rule {{family}} forward oifname "{{bridge}}" ct status dnat accept
            add rule {{family}} forward oifname "{{bridge}}" drop

            """;

        // The second postrouting rule is the hairpin: a container reaching another (or itself) through a host port
        // must see the reply come from the host address it dialled, not straight from the other container.
        return HostCommand.RunAsync("nft", ["-f", "-"], ct, script);
    }

    /// <summary>Adds <paramref name="containerId"/>'s port forwards to <paramref name="address"/> (one transaction).</summary>
    public Task AddForwardsAsync(string containerId, uint address, IReadOnlyList<PortForward> ports, CancellationToken ct)
    {
        if (ports.Count == 0)
        {
            return Task.CompletedTask;
        }

        var script = new StringBuilder();
        foreach (PortForward port in ports)
        {
            foreach (string chain in new[] { PreroutingChain, OutputChain })
            {
                script.Append($"add rule inet {table} {chain} fib daddr type local {port.Protocol} dport {port.HostPort} ")
                    .Append($"dnat ip to {Ipv4Text.Format(address)}:{port.ContainerPort} comment \"{Tag(containerId)}\"\n");
            }
        }

        return HostCommand.RunAsync("nft", ["-f", "-"], ct, script.ToString());
    }

    /// <summary>Deletes every rule tagged with <paramref name="containerId"/>; nothing to do when there is no table.</summary>
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
        var script = new StringBuilder();
        foreach ((string chain, long handle) in TaggedRules(listing, tag))
        {
            script.Append($"delete rule inet {table} {chain} handle {handle}\n");
        }

        if (script.Length > 0)
        {
            await HostCommand.RunAsync("nft", ["-f", "-"], ct, script.ToString());
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
    public static string Tag(string containerId) => "edgevisor container " + containerId;

    /// <summary>Chain and handle of each rule in an <c>nft -j -a</c> listing whose comment is <paramref name="tag"/>.</summary>
    internal static IEnumerable<(string Chain, long Handle)> TaggedRules(string listing, string tag)
    {
        using var document = JsonDocument.Parse(listing);
        return Items(document, "rule")
            .Where(rule => rule.TryGetProperty("comment", out JsonElement comment) && comment.GetString() == tag)
            .Select(rule => (rule.GetProperty("chain").GetString()!, rule.GetProperty("handle").GetInt64()))
            .ToList();
    }

    // nft -j prints {"nftables": [{"metainfo": …}, {"table": …}, {"chain": …}, {"rule": …}, …]}.
    private static IEnumerable<JsonElement> Items(JsonDocument document, string kind) =>
        document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty(kind, out _))
            .Select(item => item.GetProperty(kind))
            .ToList();
}
