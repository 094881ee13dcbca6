using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Artifacts;

public sealed partial class ArtifactStore
{
    /// <summary>
    /// Frees space: removes partial downloads of artifacts nothing references, then removes unreferenced artifacts,
    /// least recently used first, until those left take at most <c>MaxUnreferencedBytes</c> (so a rollback to the
    /// previous version usually finds its image still here). Referenced artifacts and downloads in progress are
    /// never touched.
    /// </summary>
    public void CollectGarbage(IReadOnlySet<string> referencedSha256)
    {
        ArgumentNullException.ThrowIfNull(referencedSha256);
        var referenced = new HashSet<string>(referencedSha256.Select(s => s.ToLowerInvariant()), StringComparer.Ordinal);
        HashSet<string> busy;
        lock (_gate)
        {
            busy = [.. _inflight.Keys];
        }

        bool Keep(string hex) => referenced.Contains(hex) || busy.Contains(hex);

        if (System.IO.Directory.Exists(PartialDirectory))
        {
            foreach (string part in System.IO.Directory.EnumerateFiles(PartialDirectory, "*.part"))
            {
                if (!Keep(Path.GetFileNameWithoutExtension(part)))
                {
                    DeleteFile(part);
                    Log.CollectedPartial(logger, part);
                }
            }
        }

        var entries = _index.All().ToDictionary(e => e.Sha256, StringComparer.Ordinal);
        var unreferenced = new List<(string Hex, string Path, long Size, DateTimeOffset LastUsed)>();
        if (System.IO.Directory.Exists(ContentDirectory))
        {
            foreach (string file in System.IO.Directory.EnumerateFiles(ContentDirectory))
            {
                string hex = Path.GetFileName(file);
                if (!Sha256Hex.IsValid(hex) || Keep(hex))
                {
                    continue;
                }

                var info = new FileInfo(file);
                var lastUsed = entries.TryGetValue(hex, out var entry) ? entry.LastUsed : new DateTimeOffset(info.LastWriteTimeUtc);
                unreferenced.Add((hex, file, info.Length, lastUsed));
            }
        }

        long total = unreferenced.Sum(u => u.Size);
        foreach (var artifact in unreferenced.OrderBy(u => u.LastUsed).ThenBy(u => u.Hex, StringComparer.Ordinal))
        {
            if (total <= options.MaxUnreferencedBytes)
            {
                break;
            }

            DeleteFile(artifact.Path);
            _index.Remove(artifact.Hex);
            total -= artifact.Size;
            Log.Collected(logger, artifact.Hex, artifact.Size, artifact.LastUsed);
        }

        // Entries whose file is gone (deleted by hand) describe nothing.
        foreach (string hex in entries.Keys.Where(h => !File.Exists(ContentPath(h))))
        {
            _index.Remove(hex);
        }
    }
}
