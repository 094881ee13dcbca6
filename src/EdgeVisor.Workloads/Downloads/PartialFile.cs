using System.Security.Cryptography;

namespace EdgeVisor.Workloads.Downloads;

/// <summary>
/// A download in progress: <c>partial/&lt;hex&gt;.part</c> with a running SHA-256 over everything in it. Opening an
/// existing part re-hashes its bytes, so a download resumed after a crash or a dropped connection is verified over
/// the whole content, not only over what the last attempt received. Bytes are only ever appended in order, so a
/// part holds a prefix of the content (or, after a torn write at power loss, garbage the final digest check catches).
/// </summary>
public sealed class PartialFile : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly FileStream _stream;
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private PartialFile(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Bytes in the part (where a resumed download continues).</summary>
    public long Length => _stream.Length;

    /// <summary>Opens or creates the part and hashes what it already holds.</summary>
    public static async Task<PartialFile> OpenAsync(string path, CancellationToken ct)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        });
        var part = new PartialFile(path, stream);
        try
        {
            byte[] buffer = new byte[BufferBytes];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                part._hash.AppendData(buffer, 0, read);
            }

            return part;
        }
        catch
        {
            await part.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Empties the part: the source will send the content from its first byte.</summary>
    public void Restart()
    {
        _stream.SetLength(0);
        _stream.Position = 0;
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    /// <summary>
    /// Appends everything <paramref name="source"/> yields; reports the part's length after each chunk. Stops with
    /// an <see cref="ArtifactException"/> (permanent) if the part would grow past <paramref name="maxLength"/>.
    /// </summary>
    public async Task AppendAsync(Stream source, long? maxLength, string url, IProgress<long>? progress, CancellationToken ct)
    {
        _stream.Position = _stream.Length;
        byte[] buffer = new byte[BufferBytes];
        int read;
        while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (maxLength is { } max && _stream.Length + read > max)
            {
                throw new ArtifactException($"artifact {url}: the source sends more than the {max} bytes the deployment declares", permanent: true);
            }

            await _stream.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            _hash.AppendData(buffer, 0, read);
            progress?.Report(_stream.Length);
        }
    }

    /// <summary>The digest of everything in the part, as lowercase hex.</summary>
    public string Digest() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <summary>Pushes the bytes to the disk before the part is renamed into the store.</summary>
    public void FlushToDisk() => _stream.Flush(flushToDisk: true);

    public async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
