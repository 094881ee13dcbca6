using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace EdgeVisor.Tests.Containers.Images;

/// <summary>How a layer's tar is stored in the image (the layer media type follows from it).</summary>
public enum LayerCompression
{
    Gzip,
    None,
    Zstd,
}

/// <summary>
/// A fluent builder of one image layer: a tar written entry by entry, in call order. Paths are written without
/// a leading '/', as image layers have them; modes, owners and a fixed timestamp make the same calls give the
/// same digest. <see cref="Raw"/> writes any entry as given, for hostile layers ('../x', '/abs', setuid files).
/// </summary>
public sealed class TestLayer
{
    /// <summary>The timestamp every entry gets, so a layer's digest depends only on its content.</summary>
    public static readonly DateTimeOffset Timestamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<TarEntry> _entries = [];

    /// <summary>The compression <see cref="Build()"/> uses (<see cref="LayerCompression.Gzip"/> unless set).</summary>
    public LayerCompression Compression { get; private set; } = LayerCompression.Gzip;

    public TestLayer Compressed(LayerCompression compression)
    {
        Compression = compression;
        return this;
    }

    public TestLayer File(string path, string content, int mode = 644, int uid = 0, int gid = 0) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid, gid);

    /// <summary>A regular file. Modes are written as their octal digits (C# has no octal literals): 644, 4755, 1777.</summary>
    public TestLayer File(string path, byte[] content, int mode = 644, int uid = 0, int gid = 0)
    {
        var entry = NewEntry(TarEntryType.RegularFile, path, mode, uid, gid);
        entry.DataStream = new MemoryStream(content, writable: false);
        return Add(entry);
    }

    public TestLayer Directory(string path, int mode = 755, int uid = 0, int gid = 0) =>
        Add(NewEntry(TarEntryType.Directory, path.TrimEnd('/') + "/", mode, uid, gid));

    public TestLayer Symlink(string path, string target)
    {
        var entry = NewEntry(TarEntryType.SymbolicLink, path, 777, 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    /// <summary>A hard link to <paramref name="target"/>, a path in the same layer (written as the tar has it: no leading '/').</summary>
    public TestLayer Hardlink(string path, string target)
    {
        var entry = NewEntry(TarEntryType.HardLink, path, 644, 0, 0);
        entry.LinkName = Relative(target);
        return Add(entry);
    }

    /// <summary>Deletes <paramref name="path"/> of the layers below: an empty <c>.wh.&lt;name&gt;</c> next to it.</summary>
    public TestLayer Whiteout(string path)
    {
        string relative = Relative(path).TrimEnd('/');
        int slash = relative.LastIndexOf('/');
        string whiteout = slash < 0 ? ".wh." + relative : relative[..(slash + 1)] + ".wh." + relative[(slash + 1)..];
        return File(whiteout, []);
    }

    /// <summary>Hides everything the layers below have in directory <paramref name="path"/>: <c>&lt;dir&gt;/.wh..wh..opq</c>.</summary>
    public TestLayer OpaqueDirectory(string path) => File(Relative(path).TrimEnd('/') + "/.wh..wh..opq", []);

    public TestLayer CharDevice(string path, int major, int minor, int mode = 666)
    {
        var entry = NewEntry(TarEntryType.CharacterDevice, path, mode, 0, 0);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return Add(entry);
    }

    /// <summary>Writes <paramref name="entry"/> exactly as given (no path clean-up): the way to make hostile layers.</summary>
    public TestLayer Raw(TarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Add(entry);
    }

    public BuiltLayer Build() => Build(Compression);

    /// <summary>Writes the tar, compresses it and computes both digests.</summary>
    public BuiltLayer Build(LayerCompression compression)
    {
        byte[] tar = WriteTar();
        byte[] stored = compression switch
        {
            LayerCompression.Gzip => Gzip(tar),
            LayerCompression.Zstd => Zstd(tar),
            _ => tar,
        };
        return new BuiltLayer(stored, Sha256(stored), Sha256(tar), tar, compression);
    }

    internal static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private byte[] WriteTar()
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (TarEntry entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return output.ToArray();
    }

    private static byte[] Zstd(byte[] tar)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(tar).ToArray();
    }

    private TestLayer Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    private static PaxTarEntry NewEntry(TarEntryType type, string path, int mode, int uid, int gid)
    {
        // Extended attributes pin atime/ctime too; without them the writer would stamp the current time.
        var times = new Dictionary<string, string>
        {
            ["mtime"] = Timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new PaxTarEntry(type, Relative(path), times)
        {
            Mode = (UnixFileMode)Octal(mode),
            Uid = uid,
            Gid = gid,
            ModificationTime = Timestamp,
        };
    }

    private static string Relative(string path) => path.TrimStart('/');

    /// <summary>Reads the decimal digits of <paramref name="digits"/> as octal (644 → 0o644).</summary>
    internal static int Octal(int digits)
    {
        int value = 0;
        foreach (char digit in digits.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            value = value * 8 + (digit is >= '0' and <= '7' ? digit - '0' : throw new ArgumentOutOfRangeException(nameof(digits), digits, "a mode is octal digits, e.g. 644 or 4755"));
        }

        return value;
    }
}

/// <summary>A built layer: what the registry stores (<see cref="Bytes"/>, named by <see cref="Digest"/>) and the uncompressed <see cref="Tar"/> (<see cref="DiffId"/>).</summary>
public sealed record BuiltLayer(byte[] Bytes, string Digest, string DiffId, byte[] Tar, LayerCompression Compression)
{
    /// <summary>The layer media type for an image of <paramref name="format"/>.</summary>
    public string MediaType(ImageFormat format) => (format, Compression) switch
    {
        (ImageFormat.Docker, LayerCompression.Gzip) => EdgeVisor.Workloads.Containers.Images.MediaTypes.DockerLayerGzip,
        (ImageFormat.Docker, LayerCompression.None) => "application/vnd.docker.image.rootfs.diff.tar",
        (_, LayerCompression.Gzip) => EdgeVisor.Workloads.Containers.Images.MediaTypes.OciLayerGzip,
        (_, LayerCompression.Zstd) => EdgeVisor.Workloads.Containers.Images.MediaTypes.OciLayerZstd,
        _ => EdgeVisor.Workloads.Containers.Images.MediaTypes.OciLayer,
    };
}
