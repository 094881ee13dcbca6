using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Images;

/// <summary>
/// A test's own image store in a fresh temporary directory (random suffix), with an "outside" directory beside it
/// that hostile layers aim at. Disposing unmounts anything left mounted under it and deletes it all.
/// </summary>
internal sealed class StoreScratch : IDisposable
{
    public StoreScratch(long reserveBytes = 0)
    {
        Root = Directory.CreateTempSubdirectory("edgevisor-store-tests-").FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Root, "outside")).FullName;
        Store = Open(reserveBytes);
    }

    public string Root { get; }

    /// <summary>A directory outside the store that must never change.</summary>
    public string Outside { get; }

    public string StoreDirectory => Path.Combine(Root, "store");

    public ImageStore Store { get; }

    public ImageStore Open(long reserveBytes) => new(StoreDirectory, reserveBytes, NullLogger<ImageStore>.Instance);

    /// <summary>Puts an image's blobs (manifest, config, layers) into the store as a pull would.</summary>
    public async Task<string> AddAsync(BuiltImage image, ImageStore? store = null)
    {
        foreach (var (digest, content) in image.AllBlobs())
        {
            using var stream = new MemoryStream(content);
            await (store ?? Store).Blobs.AddAsync(stream, digest, "test", CancellationToken.None);
        }

        return image.ManifestDigest;
    }

    /// <summary>Adds and unpacks an image made of <paramref name="layers"/>.</summary>
    public async Task<LocalImage> UnpackAsync(params TestLayer[] layers)
    {
        var image = new TestImage { Layers = layers }.Build();
        return await Store.UnpackAsync(await AddAsync(image), CancellationToken.None);
    }

    /// <summary>Snapshot directories, complete or scratch.</summary>
    public IReadOnlyList<string> Snapshots() => [.. Directory.EnumerateDirectories(Path.Combine(StoreDirectory, "snapshots")).Select(Path.GetFileName)!];

    public string ContainerDirectory(string name) => Path.Combine(Root, "containers", name);

    public void Dispose()
    {
        // Unmounts whatever a failed test left mounted below, then deletes everything.
        RootfsMount.Remove(Root);
    }

    /// <summary>Owner, group, octal mode and mtime of a path itself (stat -c, not following a symlink).</summary>
    public static string Stat(string path) =>
        ProcessRunner.AsText(ProcessRunner.Run("stat", ["-c", "%u:%g %a %Y %F", path], "/", TimeSpan.FromSeconds(10)).Stdout).Trim();

    /// <summary>A layer whose one file is <paramref name="bytes"/> zeros: a few hundred KiB gzipped, streamed so it never sits in memory whole.</summary>
    public static BuiltLayer ZeroBomb(long bytes)
    {
        using var compressed = new MemoryStream();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        using (var tee = new HashingWriteStream(gzip, sha))
        using (var writer = new TarWriter(tee, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "zeros") { DataStream = new ZeroStream(bytes) });
        }

        byte[] stored = compressed.ToArray();
        string diffId = "sha256:" + Convert.ToHexStringLower(sha.GetCurrentHash());
        return new BuiltLayer(stored, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stored)), diffId, [], LayerCompression.Gzip);
    }

    private sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            if (n <= 0)
            {
                return 0;
            }

            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
