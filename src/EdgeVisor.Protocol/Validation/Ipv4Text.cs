using System.Globalization;
using System.Net;

namespace EdgeVisor.Protocol;

/// <summary>
/// IPv4 addresses as configuration and documents write them: strict dotted quads (<see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone also reads "10" or "10.1") and <c>a.b.c.d/n</c> prefixes.
/// </summary>
public static class Ipv4Text
{
    /// <summary>
    /// Exactly four decimal parts 0-255 without leading zeros ("010" is octal 8 to some parsers, 10 to others);
    /// <paramref name="address"/> in host order.
    /// </summary>
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (text?.Split('.') is not { Length: 4 } parts)
        {
            return false;
        }

        uint value = 0;
        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            uint octet = uint.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return false;
            }

            value = value << 8 | octet;
        }

        address = value;
        return true;
    }

    /// <summary><c>a.b.c.d/n</c> with n 0-32 (no leading zero); host bits may be set (an interface address).</summary>
    public static bool TryParseCidr(string? text, out uint address, out int prefix)
    {
        prefix = -1;
        address = 0;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
            && TryParse(text![..slash], out address)
            && text[(slash + 1)..] is { Length: > 0 and <= 2 } bits && bits.All(char.IsAsciiDigit) && (bits.Length == 1 || bits[0] != '0')
            && int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= 32;
    }

    /// <summary>The mask of a prefix length, in host order (0 for /0).</summary>
    public static uint Mask(int prefix) => prefix <= 0 ? 0 : uint.MaxValue << (32 - Math.Min(prefix, 32));

    /// <summary>The dotted quad of <paramref name="address"/> (host order), as <see cref="TryParse"/> reads it back.</summary>
    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");
}
