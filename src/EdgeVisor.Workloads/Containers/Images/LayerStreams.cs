using System.IO.Compression;
using System.Security.Cryptography;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>How a layer blob is compressed: from its media type, or from its first bytes when the type does not say.</summary>
internal enum BlobCompression
{
    None,
    Gzip,
    Zstd,
}

internal static class LayerStreams
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];
    private static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>The compression a media type declares; null when it does not say (a generic or unknown type: sniff).</summary>
    public static BlobCompression? FromMediaType(string mediaType) =>
        mediaType switch
        {
            MediaTypes.OciLayer => BlobCompression.None,
            MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip => BlobCompression.Gzip,
            MediaTypes.OciLayerZstd => BlobCompression.Zstd,
            _ when mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".gzip", StringComparison.Ordinal) => BlobCompression.Gzip,
            _ when mediaType.EndsWith("+zstd", StringComparison.Ordinal) => BlobCompression.Zstd,
            _ => null,
        };

    /// <summary>The compression the first bytes of <paramref name="file"/> show.</summary>
    public static BlobCompression Sniff(string file)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(file);
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        return head.StartsWith(GzipMagic) ? BlobCompression.Gzip
            : head.StartsWith(ZstdMagic) ? BlobCompression.Zstd
            : BlobCompression.None;
    }

    /// <summary>The OCI layer media type for a compression (what an imported docker-save layer is declared as).</summary>
    public static string MediaTypeOf(BlobCompression compression) =>
        compression switch
        {
            BlobCompression.Gzip => MediaTypes.OciLayerGzip,
            BlobCompression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };

    /// <summary>The uncompressed tar stream of a layer blob.</summary>
    public static Stream OpenUncompressed(string file, string mediaType)
    {
        var compression = FromMediaType(mediaType) ?? Sniff(file);
        var raw = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return compression switch
        {
            BlobCompression.Gzip => new GZipStream(raw, CompressionMode.Decompress),
            BlobCompression.Zstd => new ZstdSharp.DecompressionStream(raw),
            _ => raw,
        };
    }
}

/// <summary>Passes reads through and hashes every byte (a layer's diff_id is the SHA-256 of its uncompressed tar).</summary>
internal sealed class HashingReadStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads what is left (a tar's end padding counts towards its digest) and returns <c>sha256:&lt;hex&gt;</c>.</summary>
    public async Task<string> FinishAsync(CancellationToken ct)
    {
        byte[] buffer = new byte[1 << 16];
        while (await ReadAsync(buffer, ct).ConfigureAwait(false) > 0)
        {
        }

        return Digests.Sha256Prefix + Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
