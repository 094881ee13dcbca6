using EdgeVisor.Workloads.Downloads;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Artifacts;

/// <summary>
/// The device's content-addressed artifact store: every firmware image and wiring file a deployment names is fetched
/// once into <c>&lt;directory&gt;/sha256/&lt;hex&gt;</c> (read-only, 0444), the digest being what the device trusts,
/// never the URL. Downloads go to <c>&lt;directory&gt;/partial/&lt;hex&gt;.part</c> and are resumed with HTTP ranges
/// after a dropped connection or a crash; only content whose SHA-256 (and declared size) matches is renamed into
/// the store, atomically, so a SIGKILL at any moment leaves a resumable part and never a wrong file under sha256/.
/// Local files (<c>file:///…</c>, absolute paths) are copied in, so a later change to the source cannot change
/// what runs. An index in the agent's LiteDB file records size, URL and use for garbage collection.
/// </summary>
public sealed partial class ArtifactStore(string directory, AgentStore store, ArtifactOptions options, HttpClient http, ILogger<ArtifactStore> logger)
{
    /// <summary>How stale a "last used" time may get before a lookup writes the new one (saves a write per lookup).</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ArtifactIndex _index = new(store);
    private readonly Dictionary<string, SharedFetch> _inflight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The store's root directory.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The clock for fetch and use times (tests substitute one).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    private string ContentDirectory => Path.Combine(Directory, "sha256");

    private string PartialDirectory => Path.Combine(Directory, "partial");

    /// <summary>
    /// The path of the stored, verified artifact with digest <paramref name="sha256"/>, if the store has it; records
    /// the use for garbage collection. A file whose size no longer matches its index entry is removed.
    /// </summary>
    public bool TryGetPath(string sha256, out string path)
    {
        path = "";
        if (!Sha256Hex.IsValid(sha256))
        {
            return false;
        }

        string hex = sha256.ToLowerInvariant();
        string candidate = ContentPath(hex);
        var entry = _index.Find(hex);
        var file = new FileInfo(candidate);
        if (!file.Exists)
        {
            if (entry is not null)
            {
                _index.Remove(hex);
            }

            return false;
        }

        var now = Time.GetUtcNow();
        if (entry is null)
        {
            // Renamed into the store (so verified) just before a crash kept the index from hearing of it.
            _index.Put(new ArtifactEntry(hex, file.Length, "", now, now));
        }
        else if (entry.Size != file.Length)
        {
            Log.Corrupt(logger, hex, file.Length, entry.Size);
            DeleteFile(candidate);
            _index.Remove(hex);
            return false;
        }
        else if (now - entry.LastUsed > LastUsedResolution)
        {
            _index.Put(entry with { LastUsed = now });
        }

        path = candidate;
        return true;
    }

    /// <summary>
    /// Makes sure the artifact is in the store and returns its path. Idempotent; concurrent calls for one digest
    /// share one download; <paramref name="progress"/> hears the bytes held so far. Throws
    /// <see cref="ArtifactException"/> (see <see cref="ArtifactException.Permanent"/>) when it cannot.
    /// </summary>
    public async Task<string> FetchAsync(ArtifactRef artifact, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (!Sha256Hex.IsValid(artifact.Sha256))
        {
            throw new ArtifactException($"artifact {artifact.Url}: sha256 \"{artifact.Sha256}\" is not 64 hex digits", permanent: true);
        }

        string hex = artifact.Sha256.ToLowerInvariant();
        if (TryGetPath(hex, out string stored))
        {
            return stored;
        }

        SharedFetch fetch;
        lock (_gate)
        {
            // Join before the download starts, so its first progress report already reaches this caller.
            if (_inflight.TryGetValue(hex, out fetch!))
            {
                fetch.Join(progress);
            }
            else
            {
                fetch = new SharedFetch();
                _inflight[hex] = fetch;
                fetch.Join(progress);
                fetch.Start(shared => RunSharedAsync(artifact, hex, shared));
            }
        }

        try
        {
            return await fetch.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            fetch.Leave(progress);
            throw;
        }
    }

    private async Task<string> RunSharedAsync(ArtifactRef artifact, string hex, SharedFetch shared)
    {
        // Run the download off the first caller's stack: it is shared, and that caller holds the store's lock here.
        await Task.Yield();
        try
        {
            return await FetchOnceAsync(artifact, hex, shared, shared.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _inflight.Remove(hex);
            }

            shared.Dispose();
        }
    }

    private async Task<string> FetchOnceAsync(ArtifactRef artifact, string hex, IProgress<long> progress, CancellationToken ct)
    {
        var source = ArtifactSource.Parse(artifact.Url);
        if (source.LocalPath is not null && !options.AllowLocalFiles)
        {
            throw new ArtifactException($"artifact {artifact.Url}: local files are not allowed on this device (Agent:Artifacts:AllowLocalFiles is false)", permanent: true);
        }

        System.IO.Directory.CreateDirectory(ContentDirectory);
        System.IO.Directory.CreateDirectory(PartialDirectory);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.DownloadTimeoutSeconds));
        string partPath = Path.Combine(PartialDirectory, hex + ".part");

        // A resumed part that turns out wrong (a torn write at power loss) gets one fresh download before the
        // mismatch counts as the content's fault.
        for (int attempt = 0; ; attempt++)
        {
            var part = await PartialFile.OpenAsync(partPath, timeout.Token).ConfigureAwait(false);
            bool resumed = part.Length > 0;
            string digest;
            try
            {
                if (resumed)
                {
                    Log.Resuming(logger, artifact.Url, part.Length);
                }

                await FillAsync(source, artifact, part, progress, timeout.Token).ConfigureAwait(false);
                CheckSize(artifact, part);
                digest = part.Digest();
                if (digest == hex)
                {
                    part.FlushToDisk();
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Our deadline, or HttpClient's own timeout: either way the part is kept and a retry resumes it.
                throw new ArtifactException($"artifact {artifact.Url}: timed out after {options.DownloadTimeoutSeconds:0.#} s ({part.Length} bytes kept to resume)", permanent: false);
            }
            catch (ArtifactException e) when (e.Permanent)
            {
                await part.DisposeAsync().ConfigureAwait(false);
                DeleteFile(partPath);
                throw;
            }
            finally
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }

            if (digest == hex)
            {
                return Commit(artifact, hex, partPath);
            }

            DeleteFile(partPath);
            if (resumed && attempt == 0)
            {
                Log.ResumedPartWrong(logger, artifact.Url);
                continue;
            }

            throw new ArtifactException($"artifact {artifact.Url}: sha256 mismatch: the deployment says {hex}, the content is {digest}", permanent: true);
        }
    }

    private async Task FillAsync(ArtifactSource source, ArtifactRef artifact, PartialFile part, IProgress<long> progress, CancellationToken ct)
    {
        if (source.LocalPath is { } local)
        {
            await CopyLocalAsync(local, artifact, part, progress, ct).ConfigureAwait(false);
            return;
        }

        try
        {
            await new HttpDownload(http, needed => EnsureSpace(artifact.Url, needed)).RunAsync(source.Http!, part, artifact.Size, progress, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ArtifactException($"artifact {artifact.Url}: {OneLine(e)} ({part.Length} bytes kept to resume)", permanent: false, e);
        }
        catch (IOException e)
        {
            // The connection dropped in the middle of the body: what arrived stays in the part for the retry.
            throw new ArtifactException($"artifact {artifact.Url}: the download broke off after {part.Length} bytes: {OneLine(e)}", permanent: false, e);
        }
    }

    private async Task CopyLocalAsync(string path, ArtifactRef artifact, PartialFile part, IProgress<long> progress, CancellationToken ct)
    {
        part.Restart(); // a local copy is cheap to redo and the source may have changed since a crash
        FileStream input;
        try
        {
            input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactException($"artifact {artifact.Url}: no such file", permanent: true, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ArtifactException($"artifact {artifact.Url}: the agent may not read it", permanent: true, e);
        }

        await using (input.ConfigureAwait(false))
        {
            EnsureSpace(artifact.Url, input.Length);
            try
            {
                await part.AppendAsync(input, artifact.Size, artifact.Url, progress, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new ArtifactException($"artifact {artifact.Url}: copying failed: {e.Message}", permanent: false, e);
            }
        }
    }

    private static void CheckSize(ArtifactRef artifact, PartialFile part)
    {
        if (artifact.Size is not { } size || part.Length == size)
        {
            return;
        }

        // Fewer bytes: the source ended early (kept to resume); more cannot happen (AppendAsync stops at the size).
        throw new ArtifactException($"artifact {artifact.Url}: the source ended after {part.Length} of {size} bytes", permanent: false);
    }

    /// <summary>Read-only, then one rename into sha256/ (atomic on one file system), then the index entry.</summary>
    private string Commit(ArtifactRef artifact, string hex, string partPath)
    {
        string final = ContentPath(hex);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(partPath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.Move(partPath, final, overwrite: true);
        var now = Time.GetUtcNow();
        long size = new FileInfo(final).Length;
        _index.Put(new ArtifactEntry(hex, size, artifact.Url, now, now));
        Log.Stored(logger, artifact.Url, hex, size);
        return final;
    }

    /// <summary>Refuses a write of <paramref name="needed"/> bytes that would leave less than MinFreeBytes free (retryable: space may be freed).</summary>
    private void EnsureSpace(string url, long needed)
    {
        long free = FreeSpace.Available(Directory);
        if (free - needed < options.MinFreeBytes)
        {
            throw new ArtifactException(
                $"artifact {url}: not enough free space in {Directory}: {needed} bytes needed plus a reserve of {options.MinFreeBytes}, {free} free",
                permanent: false);
        }
    }

    private string ContentPath(string hex) => Path.Combine(ContentDirectory, hex);

    private static string OneLine(Exception e)
    {
        string message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
        return message.ReplaceLineEndings(" ");
    }

    private void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(logger, path, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Information, "artifact {Url} stored as sha256 {Sha256} ({Size} bytes)")]
        public static partial void Stored(ILogger logger, string url, string sha256, long size);

        [LoggerMessage(3001, LogLevel.Information, "artifact {Url}: resuming after {Bytes} bytes")]
        public static partial void Resuming(ILogger logger, string url, long bytes);

        [LoggerMessage(3002, LogLevel.Warning, "artifact {Url}: the resumed download did not match its digest; downloading it again from the start")]
        public static partial void ResumedPartWrong(ILogger logger, string url);

        [LoggerMessage(3003, LogLevel.Warning, "artifact sha256 {Sha256} has {Actual} bytes on disk, the index says {Expected}: removed")]
        public static partial void Corrupt(ILogger logger, string sha256, long actual, long expected);

        [LoggerMessage(3004, LogLevel.Warning, "cannot delete {Path}: {Reason}")]
        public static partial void DeleteFailed(ILogger logger, string path, string reason);

        [LoggerMessage(3005, LogLevel.Information, "garbage collection removed artifact sha256 {Sha256} ({Size} bytes, last used {LastUsed:O})")]
        public static partial void Collected(ILogger logger, string sha256, long size, DateTimeOffset lastUsed);

        [LoggerMessage(3006, LogLevel.Information, "garbage collection removed the partial download {Path}")]
        public static partial void CollectedPartial(ILogger logger, string path);
    }
}
