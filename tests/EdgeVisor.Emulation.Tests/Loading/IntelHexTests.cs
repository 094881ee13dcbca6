using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Tests.Loading;

public sealed class IntelHexTests
{
    private const string Path = "fw.hex";

    private static FirmwareImage Parse(string text) =>
        ImageLoader.Parse(System.Text.Encoding.ASCII.GetBytes(text), Path, null, ElfTarget.Arm);

    private static string Error(string text) => Assert.Throws<ImageFormatException>(() => Parse(text)).Message;

    /// <summary>Formats one record with a correct checksum.</summary>
    private static string Record(byte type, ushort offset, params byte[] data)
    {
        var bytes = new List<byte> { (byte)data.Length, (byte)(offset >> 8), (byte)offset, type };
        bytes.AddRange(data);
        byte sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        bytes.Add((byte)-sum);
        return ":" + Convert.ToHexString([.. bytes]);
    }

    private static readonly string Eof = ":00000001FF";

    [Fact]
    public void Data_records_become_merged_segments_at_linear_addresses()
    {
        string hex = string.Join("\r\n",
            Record(4, 0, 0x08, 0x00),
            Record(0, 0x0000, 1, 2, 3, 4),
            Record(0, 0x0004, 5, 6),
            Record(0, 0x0100, 7),
            Record(5, 0, 0x08, 0x00, 0x01, 0x01),
            Eof) + "\r\n";

        var image = Parse(hex);

        Assert.Equal(ImageFormat.IntelHex, image.Format);
        Assert.Equal([new(0x0800_0000, [1, 2, 3, 4, 5, 6]), new(0x0800_0100, [7])], image.Segments.Select(s => new ImageSegment(s.Address, s.Data)).ToList(), new SegmentComparer());
        Assert.Equal(0x0800_0101u, image.EntryPoint);
        Assert.Equal(0, image.Symbols.Count);
    }

    [Fact]
    public void Segment_addressing_multiplies_by_sixteen_and_wraps_within_the_segment()
    {
        string hex = string.Join("\n",
            Record(2, 0, 0x10, 0x00),
            Record(0, 0xFFFE, 1, 2, 3),
            Record(3, 0, 0x12, 0x34, 0x00, 0x10),
            Eof);

        var image = Parse(hex);

        Assert.Equal(0x1_0000u, image.Segments[0].Address);
        Assert.Equal([3], image.Segments[0].Data);
        Assert.Equal(0x1_FFFEu, image.Segments[1].Address);
        Assert.Equal([1, 2], image.Segments[1].Data);
        Assert.Equal((0x1234u << 4) + 0x10, image.EntryPoint);
    }

    [Fact]
    public void A_bad_checksum_names_the_line()
    {
        string good = Record(0, 0, 1, 2);
        string bad = good[..^2] + "00";
        Assert.StartsWith("fw.hex: bad Intel HEX checksum at line 2", Error($"{Record(0, 0x10, 9)}\n{bad}\n{Eof}\n"));
    }

    [Theory]
    [InlineData(":0100000001FE\n:00000001FF\n:0100000001FE\n", "line 3: data after the end-of-file record on line 2")]
    [InlineData(":0100000001FE\n", "no end-of-file record")]
    [InlineData(":00000001FF\n", "no data records")]
    [InlineData(":0100000001FE\n:0000000AF6\n:00000001FF\n", "line 2: unknown Intel HEX record type 0x0A")]
    [InlineData(":0200000001FD\n:00000001FF\n", "line 1: record says 2 data bytes but holds 1")]
    [InlineData(":0100000001FE\n:01000004FFFC\n:00000001FF\n", "line 2: record type 0x04 needs 2 data bytes, has 1")]
    [InlineData(":01000000G1FE\n:00000001FF\n", "line 1: 'G1' is not a hex byte")]
    [InlineData(":0100\n:00000001FF\n", "line 1: malformed Intel HEX record")]
    [InlineData(":0100000001FE\nhello\n:00000001FF\n", "line 2: an Intel HEX record must start with ':'")]
    public void Malformed_files_give_a_one_line_error_with_the_line(string text, string expected)
    {
        var message = Error(text);
        Assert.Contains(expected, message);
        Assert.StartsWith("fw.hex: ", message);
    }

    [Fact]
    public void Overlapping_records_are_an_error_naming_both_lines()
    {
        string hex = string.Join("\n", Record(0, 0x10, 1, 2, 3, 4), Record(0, 0x12, 9), Eof);
        Assert.Contains("line 2: data at 0x00000012 overlaps data from line 1", Error(hex));
    }

    [Fact]
    public void Blank_lines_and_trailing_whitespace_are_ignored()
    {
        var image = Parse($"{Record(0, 0, 0xAA)}  \n\n{Eof}\n\n");
        Assert.Equal([0xAA], image.Segments.Single().Data);
    }

    private sealed class SegmentComparer : IEqualityComparer<ImageSegment>
    {
        public bool Equals(ImageSegment? x, ImageSegment? y) => x!.Address == y!.Address && x.Data.SequenceEqual(y.Data);

        public int GetHashCode(ImageSegment obj) => (int)obj.Address;
    }
}
