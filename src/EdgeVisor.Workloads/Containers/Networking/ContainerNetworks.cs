using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// Gives containers their network (<see cref="NetworkModes"/>): a network namespace per container (except
/// <c>host</c>), the agent's <c>nat</c> bridge with addresses from its subnet, masquerade and port forwards in the
/// agent's nftables table, or a veth on a host bridge for <c>bridged</c>. State (address leases) lives under
/// <paramref name="directory"/> so an agent restarting after a crash can remove what it left.
/// </summary>
/// <remarks>
/// The first <c>nat</c> attach creates the bridge and the table and turns on IPv4 forwarding
/// (<c>net.ipv4.ip_forward = 1</c>): a host-wide setting, left on (a device routing for its containers needs it), the
/// value found kept in <c>&lt;directory&gt;/ip_forward.before</c>. Attaches and detaches of one instance run one at a
/// time. The networks are IPv4 only.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "a SemaphoreSlim without AvailableWaitHandle holds nothing to dispose; the agent keeps one instance for its lifetime")]
public sealed partial class ContainerNetworks
{
    private const string IpForwardBeforeFile = "ip_forward.before";

    private readonly NetworkOptions _options;
    private readonly string _directory;
    private readonly string _ipForwardSetting;
    private readonly ILogger<ContainerNetworks> _logger;
    private readonly AttachmentStore _states;
    private readonly AddressLeases _leases;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ContainerNetworks(NetworkOptions options, string directory, ILogger<ContainerNetworks> logger)
        : this(options, directory, logger, "/proc/sys/net/ipv4/ip_forward")
    {
    }

    /// <summary>For tests: <paramref name="ipForwardSetting"/> stands in for the host's <c>net.ipv4.ip_forward</c>.</summary>
    internal ContainerNetworks(NetworkOptions options, string directory, ILogger<ContainerNetworks> logger, string ipForwardSetting)
    {
        _options = options;
        _directory = directory;
        _ipForwardSetting = ipForwardSetting;
        _logger = logger;
        _states = new AttachmentStore(directory);
        _leases = new AddressLeases(directory);
    }

    /// <summary>
    /// What this host says about a spec the protocol's rules (<see cref="DesiredStateRules"/>) accepted: the bridge
    /// exists and is a bridge, the agent's nat subnet is usable here; null when it can be attached, else one line
    /// naming the field. The spec's own shape (modes, ports, addresses) is the protocol's to refuse, not repeated here.
    /// </summary>
    /// <remarks>
    /// Conflicts with other containers (a host port already forwarded, a bridged address in use) are found when
    /// attaching instead: a deployment may move a port from one workload to another, and the one giving it up still
    /// holds it while the document is checked.
    /// </remarks>
    public string? Validate(ContainerNetwork spec) => spec.Mode switch
    {
        NetworkModes.Nat => NatProblem(),
        NetworkModes.Bridged => BridgedProblem(spec),
        _ => null,
    };

    /// <summary>Creates the container's network; throws <see cref="WorkloadStartException"/> naming why not (and leaves nothing behind).</summary>
    public async Task<NetworkAttachment> AttachAsync(string containerId, string hostname, ContainerNetwork spec, CancellationToken ct)
    {
        if (!NetworkNames.IsValidId(containerId))
        {
            throw new WorkloadStartException($"network: container id '{containerId}' cannot name host objects (letters, digits, '_', '.', '+', '-')");
        }

        if (!HostnamePattern().IsMatch(hostname))
        {
            throw new WorkloadStartException($"network of {containerId}: host name '{hostname}' has spaces, '#' or control characters");
        }

        if (Validate(spec) is { } problem)
        {
            throw new WorkloadStartException($"network of {containerId}: {problem}");
        }

        await _gate.WaitAsync(ct);
        try
        {
            // Whatever an earlier run of this id left (a state, or only a lease when it was killed in between).
            if (Directory.Exists(_states.DirectoryOf(containerId)))
            {
                Log.LeftoverRemoved(_logger, containerId);
            }

            await DetachCoreAsync(containerId, CancellationToken.None);

            try
            {
                NetworkAttachment attachment = await AttachCoreAsync(containerId, hostname, spec, ct);
                Log.Attached(_logger, containerId, attachment.Mode, attachment.Address ?? "-");
                return attachment;
            }
            catch (Exception failure)
            {
                await UndoAfterFailureAsync(containerId);
                throw failure switch
                {
                    WorkloadStartException or OperationCanceledException => failure,
                    _ => new WorkloadStartException($"network of {containerId}: {failure.Message}", failure),
                };
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the container's namespace, veth, address lease and port forwards; idempotent.</summary>
    public async Task DetachAsync(string containerId, CancellationToken ct)
    {
        if (!NetworkNames.IsValidId(containerId))
        {
            return; // never attached: AttachAsync refuses such ids
        }

        await _gate.WaitAsync(ct);
        try
        {
            await DetachCoreAsync(containerId, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Detaches every container with network state that is not in <paramref name="keep"/> (after an agent crash).</summary>
    public async Task CleanUpOrphansAsync(IReadOnlySet<string> keep, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // A lease without a state directory is an attach killed between the two: its holder is an orphan too.
            var failures = new List<string>();
            foreach (string containerId in _states.ContainerIds().Concat(_leases.Holders()).Distinct().Where(id => !keep.Contains(id)).ToList())
            {
                Log.OrphanRemoved(_logger, containerId);
                try
                {
                    await DetachCoreAsync(containerId, ct);
                }
                catch (IOException e)
                {
                    failures.Add(e.Message); // the others are still removed
                }
            }

            if (failures.Count > 0)
            {
                throw new IOException(string.Join("; ", failures));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<NetworkAttachment> AttachCoreAsync(string containerId, string hostname, ContainerNetwork spec, CancellationToken ct) =>
        spec.Mode switch
        {
            NetworkModes.Host => Task.FromResult(AttachHost(containerId, hostname)),
            NetworkModes.None => AttachNoneAsync(containerId, hostname, ct),
            NetworkModes.Nat => AttachNatAsync(containerId, hostname, spec.Ports, ct),
            NetworkModes.Bridged => AttachBridgedAsync(containerId, hostname, spec, ct),
            _ => throw new WorkloadStartException($"network of {containerId}: mode '{spec.Mode}' is not one this agent attaches"),
        };

    private string? NatProblem()
    {
        if (!TryNatSubnet(out Ipv4Subnet subnet))
        {
            return $"mode: {SubnetOptionProblem}";
        }

        string bridge = _options.BridgeName;
        if (!NetworkNames.IsValidInterfaceName(bridge))
        {
            return $"mode: agent configuration Containers:Network:BridgeName '{bridge}' is not an interface name (1-15 letters, digits, '_', '.', '-')";
        }

        if (NetworkNames.LinkExists(bridge) && !NetworkNames.IsBridge(bridge))
        {
            return $"mode: host interface '{bridge}' (Containers:Network:BridgeName) exists and is not a bridge";
        }

        return HostNetworkOverlapping(subnet, except: bridge) is { } other
            ? $"mode: the nat subnet {subnet} (Containers:Network:Subnet) overlaps {other} on this host"
            : null;
    }

    private string? BridgedProblem(ContainerNetwork spec)
    {
        if (spec.Bridge is not { } bridge || !NetworkNames.IsValidInterfaceName(bridge) || !NetworkNames.LinkExists(bridge))
        {
            return $"bridge: no interface '{spec.Bridge}' on this host";
        }

        if (!NetworkNames.IsBridge(bridge))
        {
            return $"bridge: '{bridge}' is not a bridge";
        }

        return Ipv4Text.TryParseCidr(spec.Address, out uint address, out _) && TryNatSubnet(out Ipv4Subnet nat) && nat.Contains(address)
            ? $"address: {spec.Address} is in the agent's nat subnet {nat} (Containers:Network:Subnet)"
            : null;
    }

    /// <summary>An IPv4 network of another host interface sharing addresses with <paramref name="subnet"/>, as "name a.b.c.d/n"; null when none does.</summary>
    private static string? HostNetworkOverlapping(Ipv4Subnet subnet, string except)
    {
        foreach (NetworkInterface link in NetworkInterface.GetAllNetworkInterfaces().Where(link => link.Name != except))
        {
            foreach (UnicastIPAddressInformation unicast in AddressesOf(link))
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork
                    && Ipv4Text.TryParse(unicast.Address.ToString(), out uint address)
                    && Ipv4Subnet.Of(address, unicast.PrefixLength).Overlaps(subnet))
                {
                    return $"{link.Name} {unicast.Address}/{unicast.PrefixLength}";
                }
            }
        }

        return null;
    }

    /// <summary>The interface's addresses; none when it went away since it was listed (its properties are read from /proc and /sys).</summary>
    private static IEnumerable<UnicastIPAddressInformation> AddressesOf(NetworkInterface link)
    {
        try
        {
            return link.GetIPProperties().UnicastAddresses.ToList();
        }
        catch (Exception e) when (e is NetworkInformationException or IOException)
        {
            return [];
        }
    }

    private NetworkAttachment AttachHost(string containerId, string hostname)
    {
        _states.Write(new AttachmentState(containerId, NetworkModes.Host, null, null, null, []));
        return WriteResolverFiles(containerId, NetworkModes.Host, null, "127.0.0.1", hostname, ResolverFiles.ReadHostResolvConf());
    }

    private async Task<NetworkAttachment> AttachNoneAsync(string containerId, string hostname, CancellationToken ct)
    {
        string ns = NetworkNames.Namespace(containerId);
        _states.Write(new AttachmentState(containerId, NetworkModes.None, ns, null, null, []));
        await CreateNamespaceAsync(ns, ct);
        await HostCommand.RunAsync("ip", ["-n", ns, "link", "set", "lo", "up"], ct);
        return WriteResolverFiles(containerId, NetworkModes.None, ns, null, hostname, ContainerResolvConf());
    }

    private async Task<NetworkAttachment> AttachNatAsync(string containerId, string hostname, IReadOnlyList<PortForward> ports, CancellationToken ct)
    {
        Ipv4Subnet subnet = TryNatSubnet(out Ipv4Subnet parsed) ? parsed : throw new WorkloadStartException($"network of {containerId}: {SubnetOptionProblem}");
        var table = new NatTable(_options.NftTable, _options.BridgeName, subnet);
        RefuseForwardedPorts(containerId, ports);

        string veth = FreeVethName(containerId);
        uint address = _leases.TakeFree(subnet, containerId)
            ?? throw new WorkloadStartException($"network of {containerId}: no free address left in {subnet} (every one is leased to a container)");
        string shown = Ipv4Text.Format(address);
        string ns = NetworkNames.Namespace(containerId);
        _states.Write(new AttachmentState(containerId, NetworkModes.Nat, ns, veth, shown, ports));

        await EnsureNatBridgeAsync(subnet, ct);
        await table.EnsureAsync(ct);
        await CreateNamespaceAsync(ns, ct);
        await CreateVethAsync(veth, ns, _options.BridgeName, ct);
        await ConfigureContainerSideAsync(ns, $"{shown}/{subnet.Prefix}", Ipv4Text.Format(subnet.Gateway), ct);
        await table.AddForwardsAsync(containerId, address, ports, ct);
        return WriteResolverFiles(containerId, NetworkModes.Nat, ns, shown, hostname, ContainerResolvConf());
    }

    private async Task<NetworkAttachment> AttachBridgedAsync(string containerId, string hostname, ContainerNetwork spec, CancellationToken ct)
    {
        if (!Ipv4Text.TryParseCidr(spec.Address, out uint address, out _))
        {
            throw new WorkloadStartException($"network of {containerId}: address '{spec.Address}' is not an IPv4 address with a prefix length");
        }

        string veth = FreeVethName(containerId);
        if (!_leases.TryTake(address, containerId))
        {
            throw new WorkloadStartException($"network of {containerId}: address {Ipv4Text.Format(address)} is already used by container {_leases.Holder(address)}");
        }

        string ns = NetworkNames.Namespace(containerId);
        _states.Write(new AttachmentState(containerId, NetworkModes.Bridged, ns, veth, Ipv4Text.Format(address), []));
        await CreateNamespaceAsync(ns, ct);
        await CreateVethAsync(veth, ns, spec.Bridge!, ct);
        await ConfigureContainerSideAsync(ns, spec.Address!, spec.Gateway, ct);
        return WriteResolverFiles(containerId, NetworkModes.Bridged, ns, Ipv4Text.Format(address), hostname, ContainerResolvConf());
    }

    private string SubnetOptionProblem =>
        $"agent configuration Containers:Network:Subnet '{_options.Subnet}' is not an IPv4 network with a prefix of 8-30 (e.g. 10.89.0.0/24)";

    /// <summary>The agent's nat subnet, room for the bridge and at least one container (a /30).</summary>
    private bool TryNatSubnet(out Ipv4Subnet subnet) => Ipv4Subnet.TryParse(_options.Subnet, out subnet) && subnet.Prefix is >= 8 and <= 30;

    private void RefuseForwardedPorts(string containerId, IReadOnlyList<PortForward> ports)
    {
        foreach (AttachmentState other in _states.Others(containerId))
        {
            PortForward? taken = ports.FirstOrDefault(port => other.Ports.Any(o => o.HostPort == port.HostPort && o.Protocol == port.Protocol));
            if (taken is not null)
            {
                throw new WorkloadStartException($"network of {containerId}: host port {taken.Protocol}/{taken.HostPort} is already forwarded to container {other.ContainerId}");
            }
        }
    }

    /// <summary>
    /// The agent's bridge: created when missing, and given its address and brought up either way (repairs a half-made
    /// one). That the name is usable and not taken by another kind of interface, <see cref="Validate"/> checked.
    /// </summary>
    private async Task EnsureNatBridgeAsync(Ipv4Subnet subnet, CancellationToken ct)
    {
        string bridge = _options.BridgeName;
        var batch = new List<string>();
        if (!NetworkNames.LinkExists(bridge))
        {
            batch.Add($"link add name {bridge} type bridge");
            Log.BridgeCreated(_logger, bridge, subnet.ToString());
        }

        batch.Add($"address replace {Ipv4Text.Format(subnet.Gateway)}/{subnet.Prefix} dev {bridge}");
        batch.Add($"link set {bridge} up");
        await HostCommand.RunAsync("ip", ["-batch", "-"], ct, string.Join('\n', batch) + "\n");

        await EnsureForwardingAsync(ct);
    }

    /// <summary>
    /// Routing between the bridge and the other interfaces is off on a fresh host. The agent turns it on host-wide and
    /// leaves it (a router needs it), logging once and keeping the value it found for an operator who removes the
    /// agent. Only the first value found is kept: a later one would be the agent's own doing.
    /// </summary>
    private async Task EnsureForwardingAsync(CancellationToken ct)
    {
        string before = (await File.ReadAllTextAsync(_ipForwardSetting, ct)).Trim();
        if (before == "1")
        {
            return;
        }

        string record = Path.Combine(_directory, IpForwardBeforeFile);
        if (!File.Exists(record))
        {
            Directory.CreateDirectory(_directory);
            await File.WriteAllTextAsync(record, before + "\n", ct);
        }

        await File.WriteAllTextAsync(_ipForwardSetting, "1\n", ct);
        Log.ForwardingEnabled(_logger, before, record);
    }

    private static Task CreateNamespaceAsync(string ns, CancellationToken ct) => HostCommand.RunAsync("ip", ["netns", "add", ns], ct);

    /// <summary>
    /// The host veth name for the container, checked before the state records it: an interface of that name now is
    /// another container's whose id hashes alike, which an undo must not delete.
    /// </summary>
    private static string FreeVethName(string containerId)
    {
        string veth = NetworkNames.HostVeth(containerId);
        return NetworkNames.LinkExists(veth)
            ? throw new WorkloadStartException($"network of {containerId}: host interface {veth} already exists (another container's id hashes to the same name)")
            : veth;
    }

    /// <summary>A veth pair: <paramref name="veth"/> on the host joining <paramref name="bridge"/>, its peer born as eth0 in the namespace.</summary>
    private static async Task CreateVethAsync(string veth, string ns, string bridge, CancellationToken ct)
    {
        string batch =
            $"""
            link add {veth} type veth peer name {NetworkNames.ContainerInterface} netns {ns}
            link set {veth} master {bridge} up

            """;
        await HostCommand.RunAsync("ip", ["-batch", "-"], ct, batch);
    }

    private static Task ConfigureContainerSideAsync(string ns, string addressWithPrefix, string? gateway, CancellationToken ct)
    {
        string eth0 = NetworkNames.ContainerInterface;
        string batch = $"link set lo up\naddress add {addressWithPrefix} dev {eth0}\nlink set {eth0} up\n"
            + (gateway is null ? "" : $"route add default via {gateway} dev {eth0}\n");
        return HostCommand.RunAsync("ip", ["-n", ns, "-batch", "-"], ct, batch);
    }

    private string ContainerResolvConf() => ResolverFiles.ResolvConf(ResolverFiles.ReadHostResolvConf(), _options.Nameservers);

    private NetworkAttachment WriteResolverFiles(string containerId, string mode, string? ns, string? address, string hostname, string resolvConf)
    {
        string containerDirectory = _states.DirectoryOf(containerId);
        string resolvConfPath = Path.Combine(containerDirectory, "resolv.conf");
        string hostsPath = Path.Combine(containerDirectory, "hosts");
        File.WriteAllText(resolvConfPath, resolvConf);
        File.WriteAllText(hostsPath, ResolverFiles.Hosts(hostname, mode == NetworkModes.Host ? null : address));
        return new NetworkAttachment(mode, ns is null ? null : NetworkNames.NamespacePath(ns), address, resolvConfPath, hostsPath);
    }

    private async Task UndoAfterFailureAsync(string containerId)
    {
        try
        {
            await DetachCoreAsync(containerId, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.UndoFailed(_logger, containerId, e.Message);
        }
    }

    /// <summary>
    /// Removes whatever exists of the container's network, in the reverse order of attaching, each step tolerating
    /// absence; the state goes last and only when every step worked, so a failed detach can be retried. Without a
    /// state there is nothing on the host to remove (it is written before the first host change), only a lease.
    /// </summary>
    private async Task DetachCoreAsync(string containerId, CancellationToken ct)
    {
        AttachmentState? state = _states.Read(containerId);
        var failures = new List<string>();

        async Task StepAsync(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e) when (e is HostCommandException or IOException or UnauthorizedAccessException)
            {
                failures.Add(e.Message);
            }
        }

        if (state?.Ports.Count > 0)
        {
            await StepAsync(() => new NatTable(_options.NftTable, _options.BridgeName, default).RemoveForwardsAsync(containerId, ct));
        }

        if (state?.HostVeth is { } veth && NetworkNames.LinkExists(veth))
        {
            // Deleting one end of a veth pair deletes both.
            await StepAsync(() => HostCommand.RunAsync("ip", ["link", "delete", veth], ct));
        }

        if (state?.Namespace is { } ns && File.Exists(NetworkNames.NamespacePath(ns)))
        {
            await StepAsync(() => HostCommand.RunAsync("ip", ["netns", "delete", ns], ct));
        }

        await StepAsync(() =>
        {
            _leases.ReleaseAll(containerId);
            return Task.CompletedTask;
        });

        if (failures.Count > 0)
        {
            throw new IOException($"network of {containerId} not fully removed: {string.Join("; ", failures)}");
        }

        _states.Delete(containerId);
        if (state is not null)
        {
            Log.Detached(_logger, containerId, state.Mode);
        }
    }

    [GeneratedRegex(@"^[^\s#\p{C}]{1,253}$")]
    private static partial Regex HostnamePattern();

    private static partial class Log
    {
        [LoggerMessage(6400, LogLevel.Information, "container {ContainerId}: network {Mode} attached, address {Address}")]
        public static partial void Attached(ILogger logger, string containerId, string mode, string address);

        [LoggerMessage(6401, LogLevel.Information, "container {ContainerId}: network {Mode} detached")]
        public static partial void Detached(ILogger logger, string containerId, string mode);

        [LoggerMessage(6402, LogLevel.Warning, "container {ContainerId}: removing network objects left by an earlier run before attaching")]
        public static partial void LeftoverRemoved(ILogger logger, string containerId);

        [LoggerMessage(6403, LogLevel.Information, "container {ContainerId}: removing the network of a container the agent no longer runs")]
        public static partial void OrphanRemoved(ILogger logger, string containerId);

        [LoggerMessage(6404, LogLevel.Error, "container {ContainerId}: undoing a failed network attach left something behind: {Reason}")]
        public static partial void UndoFailed(ILogger logger, string containerId, string reason);

        [LoggerMessage(6405, LogLevel.Information, "created the container bridge {Bridge} for {Subnet}")]
        public static partial void BridgeCreated(ILogger logger, string bridge, string subnet);

        [LoggerMessage(6406, LogLevel.Information, "enabled IPv4 forwarding on this host for the container bridge (net.ipv4.ip_forward was {Before}, now 1, left on; the old value is kept in {Record})")]
        public static partial void ForwardingEnabled(ILogger logger, string before, string record);
    }
}

/// <summary>What the bundle needs to put a container on its network.</summary>
/// <param name="Mode">The <see cref="NetworkModes"/> value.</param>
/// <param name="NamespacePath">The network namespace to join (null: the host's, for <c>host</c>).</param>
/// <param name="Address">The container's address without prefix (null: none reachable from the host, for <c>none</c>; 127.0.0.1 for <c>host</c>).</param>
/// <param name="ResolvConfPath">A file to bind-mount read-only at /etc/resolv.conf.</param>
/// <param name="HostsPath">A file to bind-mount read-only at /etc/hosts.</param>
public sealed record NetworkAttachment(string Mode, string? NamespacePath, string? Address, string ResolvConfPath, string HostsPath);
