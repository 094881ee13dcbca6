namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// The <c>route_localnet</c> switch of the agent's bridge, on while some container has a port forward so that the
/// host's own connections to 127.0.0.1:hostPort can be DNATed out through the bridge (see <see cref="NatTable"/>).
/// </summary>
/// <remarks>
/// Only the bridge's own switch (<c>net.ipv4.conf.&lt;bridge&gt;.route_localnet</c>), never <c>all</c>: the kernel
/// honours either, and <c>all</c> would let every interface, the LAN's included, route 127.0.0.0/8, exposing the
/// device's loopback-only services to its network. On the bridge the agent's guard rules drop loopback addresses
/// arriving from containers, which the kernel's martian check no longer does there.
/// </remarks>
internal static class LoopbackRouting
{
    public static Task EnableAsync(string bridge, CancellationToken ct) => File.WriteAllTextAsync(SettingOf(bridge), "1\n", ct);

    /// <summary>Turns the switch off; nothing to do when the bridge is gone (its settings went with it).</summary>
    public static async Task DisableAsync(string bridge, CancellationToken ct)
    {
        try
        {
            await File.WriteAllTextAsync(SettingOf(bridge), "0\n", ct);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // no bridge, no setting
        }
    }

    /// <summary>True when the bridge's switch is on.</summary>
    public static bool IsEnabled(string bridge) => File.Exists(SettingOf(bridge)) && File.ReadAllText(SettingOf(bridge)).Trim() == "1";

    private static string SettingOf(string bridge) => Path.Combine("/proc/sys/net/ipv4/conf", bridge, "route_localnet");
}
