using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeVisor.Protocol;

/// <summary>
/// IPv4 addresses as configuration and documents write them: strict dotted quads (<see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone also reads "10" or "10.1") and <c>a.b.c.d/n</c> prefixes.
/// </summary>
public static class Ipv4Text
{
    /// <summary>Exactly four decimal parts 0-255; <paramref name="address"/> in host order.</summary>
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (text?.Split('.') is not { Length: 4 } parts || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit))
            || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        byte[] bytes = parsed.GetAddressBytes();
        address = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        return true;
    }

    /// <summary><c>a.b.c.d/n</c> with n 0-32; host bits may be set (an interface address).</summary>
    public static bool TryParseCidr(string? text, out uint address, out int prefix)
    {
        prefix = -1;
        address = 0;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
            && TryParse(text![..slash], out address)
            && text[(slash + 1)..] is { Length: > 0 and <= 2 } bits && bits.All(char.IsAsciiDigit)
            && int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= 32;
    }

    /// <summary>The mask of a prefix length, in host order (0 for /0).</summary>
    public static uint Mask(int prefix) => prefix <= 0 ? 0 : uint.MaxValue << (32 - Math.Min(prefix, 32));
}
