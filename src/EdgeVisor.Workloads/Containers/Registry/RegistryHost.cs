using System.Net;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>The parts of a registry's name, <c>host[:port]</c> as image references write it.</summary>
public static class RegistryHost
{
    /// <summary>The host without the port (a bracketed IPv6 address keeps its brackets).</summary>
    public static string HostOf(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        int colon = registry.LastIndexOf(':');
        return colon > 0 && !registry.EndsWith(']') ? registry[..colon] : registry;
    }

    /// <summary>Whether the registry is on this machine: <c>localhost</c> or a loopback address.</summary>
    public static bool IsLoopback(string registry)
    {
        string host = HostOf(registry).Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}
