using System.Globalization;
using System.Text;

namespace EdgeVisor.Emulation.Debugging.Rsp;

/// <summary>The byte-level rules of gdb's Remote Serial Protocol: checksums, framing, escapes and hex.</summary>
public static class RspEncoding
{
    /// <summary>The escape byte; the escaped byte follows XORed with <see cref="EscapeXor"/>.</summary>
    public const byte Escape = (byte)'}';

    public const byte EscapeXor = 0x20;

    /// <summary>Out-of-band interrupt request (Ctrl-C) a client sends while the target runs.</summary>
    public const byte Interrupt = 0x03;

    /// <summary>Modulo-256 sum of the bytes between '$' and '#', as they appear on the wire.</summary>
    public static byte Checksum(ReadOnlySpan<byte> wireBytes)
    {
        int sum = 0;
        foreach (byte b in wireBytes)
        {
            sum += b;
        }

        return (byte)sum;
    }

    /// <summary>
    /// Builds the complete frame "$payload#cs" with '$', '#', '}' and '*' escaped, so a packet goes out
    /// in one write (and a '*' in binary data is never mistaken for run-length encoding).
    /// </summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new List<byte>(payload.Length + 8) { (byte)'$' };
        int sum = 0;
        foreach (byte b in payload)
        {
            if (NeedsEscape(b))
            {
                frame.Add(Escape);
                frame.Add((byte)(b ^ EscapeXor));
                sum += Escape + (b ^ EscapeXor);
            }
            else
            {
                frame.Add(b);
                sum += b;
            }
        }

        frame.Add((byte)'#');
        frame.Add(HexDigit((byte)sum >> 4));
        frame.Add(HexDigit(sum & 0xF));
        return [.. frame];
    }

    public static bool NeedsEscape(byte b) => b is (byte)'$' or (byte)'#' or (byte)'}' or (byte)'*';

    /// <summary>Lower-case hex of <paramref name="bytes"/> in order (gdb's memory and register encoding).</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Hex of a text (qRcmd output, 'O' packets).</summary>
    public static string ToHex(string text) => ToHex(Encoding.UTF8.GetBytes(text));

    /// <summary>Decodes an even-length hex string; null if it is not one.</summary>
    public static byte[]? FromHex(ReadOnlySpan<char> hex)
    {
        if (hex.Length % 2 != 0)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Parses a hex number such as "8000" or "1f"; false for empty or malformed text or overflow.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 0;

    private static byte HexDigit(int nibble) => (byte)"0123456789abcdef"[nibble & 0xF];
}
