using System.Net;
using System.Net.Sockets;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// Container addresses handed out as files <c>&lt;directory&gt;/leases/&lt;ip&gt;</c> holding the container id.
/// A lease is taken by creating its file with <see cref="FileMode.CreateNew"/>, which the file system makes atomic:
/// two attaches (even from two processes) never get the same address.
/// </summary>
internal sealed class AddressLeases(string directory)
{
    private readonly string _root = Path.Combine(directory, "leases");

    /// <summary>Takes <paramref name="address"/> for <paramref name="containerId"/>; false when someone holds it.</summary>
    public bool TryTake(IPAddress address, string containerId)
    {
        Directory.CreateDirectory(_root);
        try
        {
            using var file = new FileStream(PathOf(address), FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(containerId));
            file.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(address)))
        {
            return false;
        }
    }

    /// <summary>
    /// The lowest free host address of <paramref name="subnet"/> taken for <paramref name="containerId"/>, never the
    /// network, the first host (the bridge's own address) or the broadcast address; null when all are taken.
    /// </summary>
    public IPAddress? TakeFree(IPNetwork subnet, string containerId)
    {
        (uint first, uint last) = Ipv4.HostRange(subnet);
        for (uint candidate = first + 1; candidate <= last && candidate > first; candidate++)
        {
            var address = Ipv4.FromUInt32(candidate);
            if (TryTake(address, containerId))
            {
                return address;
            }
        }

        return null;
    }

    /// <summary>The container holding <paramref name="address"/>, or null when it is free.</summary>
    public string? Holder(IPAddress address)
    {
        try
        {
            return File.ReadAllText(PathOf(address));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Releases every lease <paramref name="containerId"/> holds (there is at most one; scanning also finds a lease whose state was never written).</summary>
    public void ReleaseAll(string containerId)
    {
        foreach ((string path, string holder) in All())
        {
            if (holder == containerId)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Ids of the containers holding a lease.</summary>
    public IEnumerable<string> Holders() => All().Select(lease => lease.Holder).Distinct();

    private IEnumerable<(string Path, string Holder)> All()
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (string path in Directory.GetFiles(_root))
        {
            string holder;
            try
            {
                holder = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                continue; // released meanwhile
            }

            yield return (path, holder);
        }
    }

    private string PathOf(IPAddress address) => Path.Combine(_root, address.ToString());
}

/// <summary>IPv4 address arithmetic for subnets (the container networks here are IPv4).</summary>
internal static class Ipv4
{
    public static uint ToUInt32(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    public static IPAddress FromUInt32(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    /// <summary>The first and last usable host addresses of <paramref name="subnet"/> (network and broadcast excluded).</summary>
    public static (uint First, uint Last) HostRange(IPNetwork subnet)
    {
        uint network = ToUInt32(subnet.BaseAddress);
        uint size = subnet.PrefixLength == 0 ? uint.MaxValue : (1u << (32 - subnet.PrefixLength)) - 1;
        return (network + 1, network + size - 1);
    }

    /// <summary>The first host address: the bridge's (the containers' gateway).</summary>
    public static IPAddress Gateway(IPNetwork subnet) => FromUInt32(HostRange(subnet).First);

    /// <summary>Parses an IPv4 subnet such as <c>10.89.0.0/24</c> (prefix at most 30: a gateway and one container).</summary>
    public static bool TryParseSubnet(string text, out IPNetwork subnet) =>
        IPNetwork.TryParse(text, out subnet)
        && subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        && subnet.PrefixLength is >= 8 and <= 30;

    /// <summary>Parses <c>a.b.c.d/prefix</c> (an interface address, host bits set) into address and its subnet.</summary>
    public static bool TryParseInterfaceAddress(string text, out IPAddress address, out IPNetwork subnet)
    {
        address = IPAddress.None;
        subnet = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? parsed)
            || parsed.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int prefix)
            || prefix is < 1 or > 32)
        {
            return false;
        }

        address = parsed;
        uint mask = prefix == 32 ? uint.MaxValue : ~(uint.MaxValue >> prefix);
        subnet = new IPNetwork(FromUInt32(ToUInt32(parsed) & mask), prefix);
        return true;
    }

    /// <summary>True for addresses that would point a container at itself (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address);
}
