using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// An image tarball opened for random access: one pass records where each entry's data lies, then entries are read
/// by name. Names are made relative to the archive's root; one that escapes it refuses the whole archive.
/// Symlinks and hardlinks between entries (skopeo's docker-archive links legacy layer paths to the real files) are
/// followed inside the archive only. A gzip-compressed tarball is first decompressed beside the blobs.
/// </summary>
internal sealed class ArchiveFile : IDisposable
{
    /// <summary>The most a JSON document in an archive may have (index.json, manifest.json, manifests and configs).</summary>
    public const int MaxJsonBytes = 4 * 1024 * 1024;

    private const int MaxLinkHops = 8;
    private const long SpaceCheckBytes = 64L * 1024 * 1024;

    private readonly Dictionary<string, TarEntryInfo> _entries = new(StringComparer.Ordinal);
    private readonly FileStream _file;
    private readonly string? _scratch;

    private ArchiveFile(string name, FileStream file, string? scratch)
    {
        Name = name;
        _file = file;
        _scratch = scratch;
    }

    /// <summary>The tarball's path, for messages.</summary>
    public string Name { get; }

    /// <summary>Indexes <paramref name="tarball"/>; a gzipped one is decompressed into the blob store's partial directory, keeping its reserve free.</summary>
    public static async Task<ArchiveFile> OpenAsync(string tarball, BlobStore blobs, CancellationToken ct)
    {
        if (!File.Exists(tarball))
        {
            throw new ArtifactException($"image archive {tarball} does not exist", permanent: true);
        }

        string? scratch = null;
        string path = tarball;
        if (LayerStreams.Sniff(tarball) == BlobCompression.Gzip)
        {
            scratch = Path.Combine(blobs.Directory, "partial", $"archive-{Guid.NewGuid():N}.tar");
            path = scratch;
            await DecompressAsync(tarball, scratch, blobs, ct).ConfigureAwait(false);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        var archive = new ArchiveFile(tarball, file, scratch);
        try
        {
            await archive.IndexAsync(ct).ConfigureAwait(false);
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Resolve(name, throwIfMissing: false) is not null;

    /// <summary>The entry's content as a stream of exactly its length.</summary>
    public Stream Open(string name)
    {
        var entry = Resolve(name, throwIfMissing: true)!;
        return new ArchiveEntryStream(_file.SafeFileHandle, entry.Offset, entry.Length);
    }

    public long LengthOf(string name) => Resolve(name, throwIfMissing: true)!.Length;

    /// <summary>A small entry whole; refuses one larger than <see cref="MaxJsonBytes"/>.</summary>
    public byte[] ReadSmall(string name)
    {
        var entry = Resolve(name, throwIfMissing: true)!;
        if (entry.Length > MaxJsonBytes)
        {
            throw Bad($"'{name}' is {entry.Length} bytes, more than the {MaxJsonBytes} a JSON document may have");
        }

        byte[] bytes = new byte[entry.Length];
        RandomAccess.Read(_file.SafeFileHandle, bytes, entry.Offset);
        return bytes;
    }

    /// <summary>The blob <c>blobs/sha256/&lt;hex&gt;</c> of an OCI layout, checked against its digest.</summary>
    public byte[] ReadBlob(string digest)
    {
        string name = BlobName(digest);
        if (!Contains(name))
        {
            throw Bad($"blob {digest} is missing");
        }

        byte[] bytes = ReadSmall(name);
        string actual = Digests.Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));
        return actual == digest ? bytes : throw Bad($"blob {digest} has digest {actual}");
    }

    public static string BlobName(string digest) => "blobs/sha256/" + Digests.Hex(digest);

    public ArtifactException Bad(string what) => new($"image archive {Name}: {what}", permanent: true);

    public void Dispose()
    {
        _file.Dispose();
        if (_scratch is not null)
        {
            File.Delete(_scratch);
        }
    }

    private static async Task DecompressAsync(string tarball, string scratch, BlobStore blobs, CancellationToken ct)
    {
        try
        {
            await using var input = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
            await using var output = File.Create(scratch);
            byte[] buffer = new byte[1 << 16];
            long sinceCheck = 0;
            int read;
            while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                sinceCheck += read;
                if (sinceCheck >= SpaceCheckBytes)
                {
                    sinceCheck = 0;
                    blobs.EnsureSpace(0); // a small gzip can expand without bound
                }
            }
        }
        catch (Exception e)
        {
            File.Delete(scratch);
            throw e is InvalidDataException or EndOfStreamException
                ? new ArtifactException($"image archive {tarball}: not a valid gzip stream: {e.Message}", permanent: true, e)
                : e;
        }
    }

    private async Task IndexAsync(CancellationToken ct)
    {
        try
        {
            await using var reader = new TarReader(_file, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                string[] parts = TarPaths.Components(entry.Name) ?? throw Bad($"entry '{entry.Name}' escapes the archive's root");
                string name = TarPaths.Join(parts);
                _entries[name] = entry.EntryType switch
                {
                    TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => new TarEntryInfo(entry.DataOffset, entry.Length, null),
                    TarEntryType.SymbolicLink => new TarEntryInfo(0, 0, LinkTarget(parts, entry.LinkName, symbolic: true, entry.Name)),
                    TarEntryType.HardLink => new TarEntryInfo(0, 0, LinkTarget(parts, entry.LinkName, symbolic: false, entry.Name)),
                    _ => new TarEntryInfo(0, 0, null, IsFile: false),
                };
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw Bad($"not a valid tar: {e.Message}");
        }
    }

    /// <summary>A link's target as an archive path: relative to the link's directory (symlink) or the root (hardlink), never outside.</summary>
    private string LinkTarget(string[] parts, string linkName, bool symbolic, string entryName)
    {
        string relativeTo = symbolic && !linkName.StartsWith('/') ? TarPaths.Join(parts[..^1]) + "/" : "";
        string[] target = TarPaths.Components(relativeTo + linkName) ?? throw Bad($"entry '{entryName}' links to '{linkName}', outside the archive");
        return TarPaths.Join(target);
    }

    private TarEntryInfo? Resolve(string name, bool throwIfMissing)
    {
        string current = name;
        for (int hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (!_entries.TryGetValue(current, out var entry) || !entry.IsFile)
            {
                return throwIfMissing ? throw Bad($"'{name}' is missing") : null;
            }

            if (entry.LinkTarget is null)
            {
                return entry;
            }

            current = entry.LinkTarget;
        }

        throw Bad($"'{name}' is a chain of more than {MaxLinkHops} links");
    }

    private sealed record TarEntryInfo(long Offset, long Length, string? LinkTarget, bool IsFile = true);
}

/// <summary>A read-only window onto part of a file, read with positional reads (several can share one handle).</summary>
internal sealed class ArchiveEntryStream(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        int read = RandomAccess.Read(file, buffer[..wanted], offset + _position);
        if (read == 0)
        {
            throw new EndOfStreamException("the archive ends inside an entry");
        }

        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        int read = await RandomAccess.ReadAsync(file, buffer[..wanted], offset + _position, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException("the archive ends inside an entry");
        }

        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
