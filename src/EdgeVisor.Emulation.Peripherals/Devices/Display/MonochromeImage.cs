using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A black-and-white picture (a display's lit pixels) and its encodings: PNG (1-bit greyscale, lit pixels white,
/// zlib-compressed through <see cref="ZLibStream"/>), binary PBM (P4), and text (one character per pixel).
/// </summary>
public sealed class MonochromeImage
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private readonly bool[] _pixels;

    /// <summary>An all-dark picture of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public MonochromeImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _pixels = new bool[width * height];
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>True where the pixel is lit; (0, 0) is the top left.</summary>
    public bool this[int x, int y]
    {
        get => _pixels[(y * Width) + x];
        set => _pixels[(y * Width) + x] = value;
    }

    /// <summary>Number of lit pixels.</summary>
    public int LitCount => _pixels.Count(p => p);

    /// <summary>One line per row, <paramref name="lit"/> for a lit pixel and <paramref name="dark"/> otherwise.</summary>
    public string ToAscii(char lit = '#', char dark = '.')
    {
        var text = new StringBuilder((Width + 1) * Height);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                text.Append(this[x, y] ? lit : dark);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes the picture to <paramref name="path"/>: binary PBM for a ".pbm" name, PNG otherwise.</summary>
    public void Save(string path)
    {
        using var file = File.Create(path);
        if (Path.GetExtension(path).Equals(".pbm", StringComparison.OrdinalIgnoreCase))
        {
            WritePbm(file);
        }
        else
        {
            WritePng(file);
        }
    }

    /// <summary>Binary PBM (P4). PBM's 1 is black, so lit pixels are 0: the picture looks as the panel does, white on black.</summary>
    public void WritePbm(Stream output)
    {
        output.Write(Encoding.ASCII.GetBytes($"P4\n{Width} {Height}\n"));
        output.Write(PackRows(litBit: false));
    }

    /// <summary>PNG, 1-bit greyscale, lit pixels white.</summary>
    public void WritePng(Stream output)
    {
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale; compression, filter and interlace methods 0
        WriteChunk(output, "IHDR", header);

        // Each scanline is a filter-type byte (0: none) and the packed pixels.
        int stride = (Width + 7) / 8;
        byte[] rows = PackRows(litBit: true);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < Height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(rows, y * stride, stride);
            }
        }

        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309 polynomial, reflected).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private byte[] PackRows(bool litBit)
    {
        int stride = (Width + 7) / 8;
        byte[] packed = new byte[stride * Height];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                if (this[x, y] == litBit)
                {
                    packed[(y * stride) + (x / 8)] |= (byte)(0x80 >> (x % 8));
                }
            }
        }

        return packed;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(data, Crc32(typeBytes)));
        output.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
