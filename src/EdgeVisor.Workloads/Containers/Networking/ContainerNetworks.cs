#pragma warning disable CS9113 // a contract stub: the issue-6 helper that implements it removes this line
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// Gives containers their network (<see cref="NetworkModes"/>): a network namespace per container (except
/// <c>host</c>), the agent's <c>nat</c> bridge with addresses from its subnet, masquerade and port forwards in the
/// agent's nftables table, or a veth on a host bridge for <c>bridged</c>. State (address leases) lives under
/// <paramref name="directory"/> so an agent restarting after a crash can remove what it left.
/// </summary>
public sealed class ContainerNetworks(NetworkOptions options, string directory, ILogger<ContainerNetworks> logger)
{
    /// <summary>Host-dependent checks of a spec (the bridge exists, the address is free); null when it can be attached.</summary>
    public string? Validate(ContainerNetwork spec) => throw new NotImplementedException("issue 6: network helper");

    /// <summary>Creates the container's network; throws <see cref="WorkloadStartException"/> naming why not (and leaves nothing behind).</summary>
    public Task<NetworkAttachment> AttachAsync(string containerId, string hostname, ContainerNetwork spec, CancellationToken ct) =>
        throw new NotImplementedException("issue 6: network helper");

    /// <summary>Removes the container's namespace, veth, address lease and port forwards; idempotent.</summary>
    public Task DetachAsync(string containerId, CancellationToken ct) => throw new NotImplementedException("issue 6: network helper");

    /// <summary>Detaches every container with network state that is not in <paramref name="keep"/> (after an agent crash).</summary>
    public Task CleanUpOrphansAsync(IReadOnlySet<string> keep, CancellationToken ct) => throw new NotImplementedException("issue 6: network helper");
}

/// <summary>What the bundle needs to put a container on its network.</summary>
/// <param name="Mode">The <see cref="NetworkModes"/> value.</param>
/// <param name="NamespacePath">The network namespace to join (null: the host's, for <c>host</c>).</param>
/// <param name="Address">The container's address without prefix (null: none reachable from the host, for <c>none</c>; 127.0.0.1 for <c>host</c>).</param>
/// <param name="ResolvConfPath">A file to bind-mount read-only at /etc/resolv.conf.</param>
/// <param name="HostsPath">A file to bind-mount read-only at /etc/hosts.</param>
public sealed record NetworkAttachment(string Mode, string? NamespacePath, string? Address, string ResolvConfPath, string HostsPath);
