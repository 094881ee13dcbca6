using System.Net;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// Checks of a <see cref="ContainerNetwork"/> made before anything is changed, each failure one line naming the field.
/// Conflicts with other containers (a host port, a bridged address) are found at attach time instead, because during
/// an update the old container still holds them when the new spec is validated.
/// </summary>
internal static class NetworkSpecRules
{
    private static readonly string[] Modes = [NetworkModes.None, NetworkModes.Host, NetworkModes.Nat, NetworkModes.Bridged];

    private static readonly string[] Protocols = ["tcp", "udp"];

    /// <summary>The first problem with <paramref name="spec"/>, or null when it can be attached on this host.</summary>
    public static string? Check(ContainerNetwork spec)
    {
        if (!Modes.Contains(spec.Mode))
        {
            return $"mode: '{spec.Mode}' is not one of {string.Join(", ", Modes)}";
        }

        if (spec.Mode != NetworkModes.Nat && spec.Ports.Count > 0)
        {
            return $"ports: forwarded only in nat mode, not {spec.Mode}";
        }

        if (spec.Mode != NetworkModes.Bridged && (spec.Bridge, spec.Address, spec.Gateway) != (null, null, null))
        {
            return $"bridge, address, gateway: only for bridged mode, not {spec.Mode}";
        }

        return spec.Mode switch
        {
            NetworkModes.Nat => CheckPorts(spec.Ports),
            NetworkModes.Bridged => CheckBridged(spec),
            _ => null,
        };
    }

    private static string? CheckPorts(IReadOnlyList<PortForward> ports)
    {
        var seen = new HashSet<(string, int)>();
        foreach (PortForward port in ports)
        {
            string where = $"ports {port.Protocol}/{port.HostPort}";
            if (!Protocols.Contains(port.Protocol))
            {
                return $"{where}: protocol '{port.Protocol}' is not tcp or udp";
            }

            if (port.HostPort is < 1 or > 65535 || port.ContainerPort is < 1 or > 65535)
            {
                return $"{where}: ports must be 1-65535 (host {port.HostPort}, container {port.ContainerPort})";
            }

            if (!seen.Add((port.Protocol, port.HostPort)))
            {
                return $"{where}: host port forwarded twice";
            }
        }

        return null;
    }

    private static string? CheckBridged(ContainerNetwork spec)
    {
        if (string.IsNullOrEmpty(spec.Bridge))
        {
            return "bridge: bridged mode needs the host bridge to join";
        }

        if (!NetworkNames.IsValidInterfaceName(spec.Bridge) || !NetworkNames.LinkExists(spec.Bridge))
        {
            return $"bridge: no interface '{spec.Bridge}' on this host";
        }

        if (!NetworkNames.IsBridge(spec.Bridge))
        {
            return $"bridge: '{spec.Bridge}' is not a bridge";
        }

        if (spec.Address is null || !Ipv4.TryParseInterfaceAddress(spec.Address, out IPAddress address, out IPNetwork subnet))
        {
            return $"address: '{spec.Address}' is not an IPv4 address with prefix (e.g. 192.168.1.50/24)";
        }

        if (subnet.PrefixLength < 31 && (address.Equals(subnet.BaseAddress) || Ipv4.ToUInt32(address) == Ipv4.HostRange(subnet).Last + 1))
        {
            return $"address: {spec.Address} is the network or broadcast address";
        }

        if (spec.Gateway is not null)
        {
            if (!IPAddress.TryParse(spec.Gateway, out IPAddress? gateway) || gateway.AddressFamily != address.AddressFamily)
            {
                return $"gateway: '{spec.Gateway}' is not an IPv4 address";
            }

            if (!subnet.Contains(gateway) || gateway.Equals(address))
            {
                return $"gateway: {spec.Gateway} is not another address in {subnet}";
            }
        }

        return null;
    }
}
