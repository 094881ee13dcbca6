using System.Globalization;
using System.Text;
using EdgeVisor.Emulation.Debugging.Rsp;

namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// Answers the packets that read and change a halted target: registers (g/G/p/P), memory (m/M/X),
/// breakpoints and watchpoints (Z/z) and the target description (qXfer:features:read). Each returns the
/// reply payload; malformed requests get "E01".
/// </summary>
public sealed class TargetPackets
{
    private readonly IDebugTarget _target;
    private readonly DebugPointTable _points;

    public TargetPackets(IDebugTarget target, DebugPointTable points)
    {
        _target = target;
        _points = points;
    }

    /// <summary>qXfer:features:read:ANNEX:OFFSET,LENGTH — a slice of target.xml, "m" (more) or "l" (last) first.</summary>
    public string ReadFeatures(string request)
    {
        // annex:offset,length
        int colon = request.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !TryParseRange(request.AsSpan(colon + 1), out ulong offset, out ulong length))
        {
            return "E01";
        }

        if (request[..colon] != "target.xml")
        {
            return "E00";
        }

        var document = _target.TargetDescriptionXml;
        if (offset >= (ulong)document.Length)
        {
            return "l";
        }

        int start = (int)offset;
        int count = (int)Math.Min(length, (ulong)(document.Length - start));
        return string.Concat(start + count >= document.Length ? "l" : "m", document.AsSpan(start, count));
    }

    /// <summary>g — every register in number order.</summary>
    public string ReadAllRegisters()
    {
        var reply = new StringBuilder();
        var sizes = _target.RegisterSizes;
        for (int n = 0; n < sizes.Count; n++)
        {
            reply.Append(RegisterHex(n, sizes[n]));
        }

        return reply.ToString();
    }

    /// <summary>G — every register in number order.</summary>
    public string WriteAllRegisters(ReadOnlySpan<char> hex)
    {
        var bytes = RspEncoding.FromHex(hex);
        if (bytes is null)
        {
            return "E01";
        }

        var sizes = _target.RegisterSizes;
        int offset = 0;
        bool ok = true;
        for (int n = 0; n < sizes.Count && offset + sizes[n] <= bytes.Length; n++)
        {
            ok &= _target.TryWriteRegister(n, bytes.AsSpan(offset, sizes[n]));
            offset += sizes[n];
        }

        return ok ? "OK" : "E01";
    }

    /// <summary>p N — one register.</summary>
    public string ReadRegister(ReadOnlySpan<char> number)
    {
        if (!RspEncoding.TryParseHex(number, out ulong n) || n >= (ulong)_target.RegisterSizes.Count)
        {
            return "E01";
        }

        return RegisterHex((int)n, _target.RegisterSizes[(int)n]);
    }

    /// <summary>P N=VALUE — one register.</summary>
    public string WriteRegister(ReadOnlySpan<char> assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals < 0 || !RspEncoding.TryParseHex(assignment[..equals], out ulong n) || n >= (ulong)_target.RegisterSizes.Count)
        {
            return "E01";
        }

        var value = RspEncoding.FromHex(assignment[(equals + 1)..]);
        return value is not null && value.Length == _target.RegisterSizes[(int)n] && _target.TryWriteRegister((int)n, value) ? "OK" : "E01";
    }

    /// <summary>A register's value as hex in target byte order, or "xx.." if it cannot be read.</summary>
    public string RegisterHex(int number, int size)
    {
        Span<byte> value = stackalloc byte[size];
        return _target.TryReadRegister(number, value) ? RspEncoding.ToHex(value) : new string('x', size * 2);
    }

    /// <summary>m ADDR,LEN — memory as hex; a readable prefix when the range runs into unmapped space.</summary>
    public string ReadMemory(ReadOnlySpan<char> request)
    {
        if (!TryParseRange(request, out ulong address, out ulong length) || length > GdbSession.PacketSize / 2)
        {
            return "E01";
        }

        var data = new byte[length];
        if (_target.TryReadMemory(address, data))
        {
            return RspEncoding.ToHex(data);
        }

        // Answer with the readable prefix, as the protocol allows; gdb asks again from where it stopped.
        int readable = 0;
        while (readable < data.Length && _target.TryReadMemory(address + (ulong)readable, data.AsSpan(readable, 1)))
        {
            readable++;
        }

        return readable == 0 ? "E01" : RspEncoding.ToHex(data.AsSpan(0, readable));
    }

    /// <summary>M ADDR,LEN:HEX.</summary>
    public string WriteMemoryHex(ReadOnlySpan<char> request)
    {
        int colon = request.IndexOf(':');
        if (colon < 0 || !TryParseRange(request[..colon], out ulong address, out ulong length))
        {
            return "E01";
        }

        var data = RspEncoding.FromHex(request[(colon + 1)..]);
        return data is not null && (ulong)data.Length == length && _target.TryWriteMemory(address, data) ? "OK" : "E01";
    }

    /// <summary>X ADDR,LEN:BYTES (already unescaped); LEN 0 probes for X support.</summary>
    public string WriteMemoryBinary(ReadOnlySpan<char> request)
    {
        int colon = request.IndexOf(':');
        if (colon < 0 || !TryParseRange(request[..colon], out ulong address, out ulong length))
        {
            return "E01";
        }

        // Payloads were unescaped by the parser; Latin-1 maps the chars back to the bytes one to one.
        var data = Encoding.Latin1.GetBytes(request[(colon + 1)..].ToString());
        if ((ulong)data.Length != length)
        {
            return "E01";
        }

        return length == 0 || _target.TryWriteMemory(address, data) ? "OK" : "E01";
    }

    /// <summary>Z TYPE,ADDR,KIND — type 0/1 breakpoint, 2/3/4 write/read/access watchpoint; "" for other types.</summary>
    public string InsertPoint(ReadOnlySpan<char> request) => Point(request, insert: true);

    /// <summary>z TYPE,ADDR,KIND.</summary>
    public string RemovePoint(ReadOnlySpan<char> request) => Point(request, insert: false);

    // type,addr,kind[;conditions]: types 0/1 breakpoints (software and hardware are the same list: memory is never
    // patched), 2/3/4 write/read/access watchpoints whose "kind" is the length.
    private string Point(ReadOnlySpan<char> request, bool insert)
    {
        int semicolon = request.IndexOf(';');
        if (semicolon >= 0)
        {
            request = request[..semicolon];
        }

        var text = request.ToString().Split(',');
        if (text.Length != 3 || text[0].Length != 1 || !RspEncoding.TryParseHex(text[1], out ulong address) ||
            !RspEncoding.TryParseHex(text[2], out ulong kind))
        {
            return "E01";
        }

        bool ok;
        switch (text[0][0])
        {
            case '0' or '1':
                ok = insert ? _points.AddBreakpoint(address) : _points.RemoveBreakpoint(address);
                break;
            case '2' or '3' or '4':
                var watchKind = text[0][0] switch { '2' => WatchpointKind.Write, '3' => WatchpointKind.Read, _ => WatchpointKind.Access };
                ok = insert ? _points.AddWatchpoint(address, kind, watchKind) : _points.RemoveWatchpoint(address, kind, watchKind);
                break;
            default:
                return "";
        }

        return ok ? "OK" : "E01";
    }

    private static bool TryParseRange(ReadOnlySpan<char> text, out ulong address, out ulong length)
    {
        length = 0;
        int comma = text.IndexOf(',');
        return RspEncoding.TryParseHex(comma < 0 ? text : text[..comma], out address) &&
               comma >= 0 && ulong.TryParse(text[(comma + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out length);
    }
}
