using System.Collections.Concurrent;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// Content-addressed blobs (manifests, configs, compressed layers): <c>blobs/sha256/&lt;hex&gt;</c>, read-only, each
/// verified against its digest before it gets its name, so a path from <see cref="PathOf"/> always holds exactly the
/// content its name says. Downloads and imports grow in <c>partial/&lt;hex&gt;.part</c> and are renamed in when
/// complete; a part left by a crash or a dropped connection is resumed by the next <see cref="OpenPartialAsync"/>.
/// </summary>
public sealed class BlobStore
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _blobs;
    private readonly string _partial;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writers = new(StringComparer.Ordinal);

    public BlobStore(string directory, long reserveBytes = 64L * 1024 * 1024)
    {
        Directory = Path.GetFullPath(directory);
        ReserveBytes = reserveBytes;
        _blobs = Path.Combine(Directory, "blobs", "sha256");
        _partial = Path.Combine(Directory, "partial");
        System.IO.Directory.CreateDirectory(_blobs);
        System.IO.Directory.CreateDirectory(_partial);
    }

    public string Directory { get; }

    /// <summary>Bytes that must stay free on the store's file system after any write (the device needs room to run).</summary>
    public long ReserveBytes { get; }

    public string PathOf(string digest) => Path.Combine(_blobs, Digests.Hex(digest));

    public bool Contains(string digest) => File.Exists(PathOf(digest));

    /// <summary>Every complete blob's digest.</summary>
    public IEnumerable<string> All() =>
        System.IO.Directory.EnumerateFiles(_blobs).Select(p => Digests.Sha256Prefix + Path.GetFileName(p)).Where(Digests.IsValid);

    /// <summary>Reads a small blob (a manifest, index or config) whole; refuses one larger than <paramref name="maxBytes"/>.</summary>
    public byte[] Read(string digest, int maxBytes = 4 * 1024 * 1024)
    {
        var info = new FileInfo(PathOf(digest));
        if (!info.Exists)
        {
            throw new ArtifactException($"blob {digest} is not in the image store", permanent: false);
        }

        return info.Length > maxBytes
            ? throw new ArtifactException($"blob {digest}: {info.Length} bytes is more than the {maxBytes} a manifest or config may have", permanent: true)
            : File.ReadAllBytes(info.FullName);
    }

    /// <summary>
    /// Makes the caller the only writer of <paramref name="digest"/>'s part in this process until the returned lease
    /// is disposed. Two pulls that need the same blob at once (two images sharing a base layer, deployed together)
    /// would otherwise append to one part and fail its digest check; the second waits, then finds the blob stored.
    /// </summary>
    public async Task<IDisposable> LockAsync(string digest, CancellationToken ct)
    {
        var gate = _writers.GetOrAdd(Digests.Hex(digest), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new WriterLease(gate);
    }

    /// <summary>Opens (or resumes) the part a blob grows in (hold <see cref="LockAsync"/> meanwhile); <see cref="Commit"/> or dispose it.</summary>
    public Task<PartialFile> OpenPartialAsync(string digest, CancellationToken ct) =>
        PartialFile.OpenAsync(Path.Combine(_partial, Digests.Hex(digest) + ".part"), ct);

    /// <summary>
    /// Checks that the part holds exactly <paramref name="digest"/>'s content, flushes it and renames it into the
    /// store (read-only); returns the blob's path. A part with other content is deleted and a permanent
    /// <see cref="ArtifactException"/> names both digests. The caller disposes the part.
    /// </summary>
    public string Commit(PartialFile part, string digest, string source)
    {
        ArgumentNullException.ThrowIfNull(part);
        string actual = Digests.Sha256Prefix + part.Digest();
        if (actual != digest)
        {
            File.Delete(part.Path);
            throw new ArtifactException($"{source}: content has digest {actual}, expected {digest}", permanent: true);
        }

        part.FlushToDisk();
        string path = PathOf(digest);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(part.Path, ReadOnly);
        }

        File.Move(part.Path, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Stores what <paramref name="content"/> yields (an import): verified against <paramref name="expectedDigest"/>
    /// when given, else named by its own digest. Returns the digest.
    /// </summary>
    public async Task<string> AddAsync(Stream content, string? expectedDigest, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (expectedDigest is not null && Contains(expectedDigest))
        {
            return expectedDigest;
        }

        string scratch = Path.Combine(_partial, $"import-{Guid.NewGuid():N}.part");
        string digest;
        await using (var part = await PartialFile.OpenAsync(scratch, ct).ConfigureAwait(false))
        {
            try
            {
                await part.AppendAsync(content, null, source, null, ct).ConfigureAwait(false);
                digest = expectedDigest ?? Digests.Sha256Prefix + part.Digest();
                EnsureSpace(0);
                Commit(part, digest, source);
            }
            catch
            {
                File.Delete(scratch);
                throw;
            }
        }

        return digest;
    }

    /// <summary>Throws a transient <see cref="ArtifactException"/> when writing <paramref name="bytes"/> more would eat into <see cref="ReserveBytes"/>.</summary>
    public void EnsureSpace(long bytes)
    {
        long available = FreeSpace.Available(Directory);
        if (available - bytes < ReserveBytes)
        {
            throw new ArtifactException(
                $"image store {Directory}: {bytes} more bytes would leave less than the {ReserveBytes} that must stay free ({available} available)",
                permanent: false);
        }
    }

    /// <summary>Deletes a blob (garbage collection); a missing one is not an error.</summary>
    public void Delete(string digest) => File.Delete(PathOf(digest));

    /// <summary>Deletes parts older than <paramref name="age"/> (a download given up on).</summary>
    public void DeleteStaleParts(TimeSpan age)
    {
        foreach (string part in System.IO.Directory.EnumerateFiles(_partial))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(part) > age)
            {
                File.Delete(part);
            }
        }
    }

    private sealed class WriterLease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
