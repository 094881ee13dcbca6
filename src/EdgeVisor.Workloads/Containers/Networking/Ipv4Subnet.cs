using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// An IPv4 network in host order (<paramref name="Network"/> with its host bits clear), read and written through
/// <see cref="Ipv4Text"/> so the driver is exactly as strict as the protocol's rules. The container networks are IPv4.
/// </summary>
internal readonly record struct Ipv4Subnet(uint Network, int Prefix)
{
    /// <summary>Reads <c>a.b.c.d/n</c> with no host bits set (10.89.0.0/24, not 10.89.0.1/24).</summary>
    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (!Ipv4Text.TryParseCidr(text, out uint address, out int prefix) || (address & ~Ipv4Text.Mask(prefix)) != 0)
        {
            return false;
        }

        subnet = new Ipv4Subnet(address, prefix);
        return true;
    }

    /// <summary>The network <paramref name="address"/>/<paramref name="prefix"/> lies in (an interface address's).</summary>
    public static Ipv4Subnet Of(uint address, int prefix) => new(address & Ipv4Text.Mask(prefix), prefix);

    /// <summary>The first host address, which the bridge of a nat subnet takes (the containers' gateway).</summary>
    public uint Gateway => Network + 1;

    /// <summary>The last address (all host bits set).</summary>
    public uint Broadcast => Network | ~Ipv4Text.Mask(Prefix);

    public bool Contains(uint address) => (address & Ipv4Text.Mask(Prefix)) == Network;

    /// <summary>True when the two share an address (one of them holds the other: networks never overlap partly).</summary>
    public bool Overlaps(Ipv4Subnet other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => $"{Ipv4Text.Format(Network)}/{Prefix}";
}
