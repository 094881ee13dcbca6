using System.Globalization;

namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// Parses Intel HEX (record types 00 data, 01 end of file, 02 extended segment address, 03 start
/// segment address, 04 extended linear address, 05 start linear address). Every record's
/// checksum is checked; every error names the line.
/// </summary>
public static class IntelHexReader
{
    private const byte Data = 0x00;
    private const byte EndOfFile = 0x01;
    private const byte ExtendedSegmentAddress = 0x02;
    private const byte StartSegmentAddress = 0x03;
    private const byte ExtendedLinearAddress = 0x04;
    private const byte StartLinearAddress = 0x05;

    /// <summary>True for text that starts with ':' and holds only printable ASCII and line breaks.</summary>
    public static bool LooksLikeIntelHex(ReadOnlySpan<byte> data) =>
        data.Length > 0 && data[0] == (byte)':' && IsText(data);

    /// <summary>Parses the file's bytes; <paramref name="path"/> is used in error messages.</summary>
    /// <exception cref="ImageFormatException">A record is malformed, fails its checksum, or the file ends early.</exception>
    public static FirmwareImage Read(byte[] data, string path)
    {
        var chunks = new List<Chunk>();
        uint? entry = null;
        uint segmentBase = 0;
        uint linearBase = 0;
        bool segmented = false;
        int endLine = 0;
        int lineNumber = 0;

        foreach (var rawLine in SplitLines(data))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (endLine != 0)
            {
                throw new ImageFormatException(path, $"line {lineNumber}: data after the end-of-file record on line {endLine}");
            }

            var record = ParseRecord(path, lineNumber, line);
            switch (record.Type)
            {
                case Data:
                    AddData(path, lineNumber, record, segmented ? segmentBase : linearBase, segmented, chunks);
                    break;
                case EndOfFile:
                    endLine = lineNumber;
                    break;
                case ExtendedSegmentAddress:
                    segmentBase = (uint)Value(path, lineNumber, record, 2) << 4;
                    segmented = true;
                    break;
                case StartSegmentAddress:
                    uint csip = Value(path, lineNumber, record, 4);
                    entry = ((csip >> 16) << 4) + (csip & 0xFFFF);
                    break;
                case ExtendedLinearAddress:
                    linearBase = Value(path, lineNumber, record, 2) << 16;
                    segmented = false;
                    break;
                case StartLinearAddress:
                    entry = Value(path, lineNumber, record, 4);
                    break;
                default:
                    throw new ImageFormatException(path, $"line {lineNumber}: unknown Intel HEX record type 0x{record.Type:X2}");
            }
        }

        if (endLine == 0)
        {
            throw new ImageFormatException(path, "Intel HEX file has no end-of-file record (truncated?)");
        }

        if (chunks.Count == 0)
        {
            throw new ImageFormatException(path, "Intel HEX file has no data records");
        }

        return new FirmwareImage(path, ImageFormat.IntelHex, Merge(path, chunks), entry, SymbolTable.Empty);
    }

    private static bool IsText(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            if (b is not ((>= 0x20 and <= 0x7E) or (byte)'\r' or (byte)'\n' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitLines(byte[] data) =>
        System.Text.Encoding.ASCII.GetString(data).Split('\n');

    private static Record ParseRecord(string path, int lineNumber, string line)
    {
        if (line[0] != ':')
        {
            throw new ImageFormatException(path, $"line {lineNumber}: an Intel HEX record must start with ':'");
        }

        var hex = line.AsSpan(1);
        if (hex.Length < 10 || hex.Length % 2 != 0)
        {
            throw new ImageFormatException(path, $"line {lineNumber}: malformed Intel HEX record ({hex.Length} hex digits)");
        }

        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new ImageFormatException(path, $"line {lineNumber}: '{hex.Slice(2 * i, 2)}' is not a hex byte");
            }
        }

        int count = bytes[0];
        if (bytes.Length != count + 5)
        {
            throw new ImageFormatException(path, $"line {lineNumber}: record says {count} data bytes but holds {bytes.Length - 5}");
        }

        byte sum = 0;
        foreach (byte b in bytes.AsSpan(0, bytes.Length - 1))
        {
            sum += b;
        }

        byte expected = (byte)-sum;
        byte found = bytes[^1];
        if (expected != found)
        {
            throw new ImageFormatException(path, $"bad Intel HEX checksum at line {lineNumber}: record has 0x{found:X2}, contents give 0x{expected:X2}");
        }

        return new Record((ushort)((bytes[1] << 8) | bytes[2]), bytes[3], bytes[4..^1]);
    }

    private static uint Value(string path, int lineNumber, Record record, int size)
    {
        if (record.Data.Length != size)
        {
            throw new ImageFormatException(path, $"line {lineNumber}: record type 0x{record.Type:X2} needs {size} data bytes, has {record.Data.Length}");
        }

        uint value = 0;
        foreach (byte b in record.Data)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static void AddData(string path, int lineNumber, Record record, uint baseAddress, bool segmented, List<Chunk> chunks)
    {
        if (record.Data.Length == 0)
        {
            return;
        }

        if (segmented && record.Offset + record.Data.Length > 0x10000)
        {
            // In segment mode the 16-bit offset wraps within the 64 KiB segment.
            int firstPart = 0x10000 - record.Offset;
            chunks.Add(new Chunk(baseAddress + record.Offset, record.Data[..firstPart], lineNumber));
            chunks.Add(new Chunk(baseAddress, record.Data[firstPart..], lineNumber));
            return;
        }

        ulong address = (ulong)baseAddress + record.Offset;
        if (address + (ulong)record.Data.Length - 1 > uint.MaxValue)
        {
            throw new ImageFormatException(path, $"line {lineNumber}: data at 0x{address:X} runs past the 4 GiB address space");
        }

        chunks.Add(new Chunk((uint)address, record.Data, lineNumber));
    }

    // Adjacent records become one segment; overlapping records are an error (two values for a byte).
    private static List<ImageSegment> Merge(string path, List<Chunk> chunks)
    {
        var sorted = chunks.OrderBy(c => c.Address).ToList();
        var segments = new List<ImageSegment>();
        var current = new List<byte>();
        uint start = sorted[0].Address;
        ulong end = start;
        int endLine = 0;
        foreach (var chunk in sorted)
        {
            if (chunk.Address < end)
            {
                throw new ImageFormatException(path, $"line {chunk.Line}: data at 0x{chunk.Address:X8} overlaps data from line {endLine}");
            }

            if (chunk.Address != end)
            {
                segments.Add(new ImageSegment(start, [.. current]));
                current.Clear();
                start = chunk.Address;
            }

            current.AddRange(chunk.Data);
            end = (ulong)chunk.Address + (uint)chunk.Data.Length;
            endLine = chunk.Line;
        }

        segments.Add(new ImageSegment(start, [.. current]));
        return segments;
    }

    private sealed record Record(ushort Offset, byte Type, byte[] Data);

    private sealed record Chunk(uint Address, byte[] Data, int Line);
}
