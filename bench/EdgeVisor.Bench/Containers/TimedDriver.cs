using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Bench.Containers;

/// <summary>
/// The agent's container driver with a stopwatch on it: timestamps when the reconciler calls StartAsync for a
/// workload and when a console line reaches the workload's log (subscribed before the container starts, so its
/// first line cannot be missed). Everything else goes straight to the real driver.
/// </summary>
internal sealed class TimedDriver(IWorkloadDriver inner) : IWorkloadDriver, IPreparesArtifacts
{
    private readonly ConcurrentDictionary<string, long> _startCalled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WorkloadLog, bool> _watched = new();

    private IPreparesArtifacts Preparer => inner as IPreparesArtifacts ?? throw new InvalidOperationException($"the {inner.Kind} driver does not prepare artifacts");

    public string Kind => inner.Kind;

    /// <summary>Stopwatch timestamp of the first StartAsync of a workload whose marker (its ready line) is <paramref name="marker"/>.</summary>
    public long? StartCalledAt(string marker) => _startCalled.TryGetValue(marker, out long at) ? at : null;

    /// <summary>Stopwatch timestamp at which the line <paramref name="line"/> was first written to any workload's log.</summary>
    public long? LineAt(string line) => _lines.TryGetValue(line, out long at) ? at : null;

    public string? Validate(WorkloadSpec spec) => inner.Validate(spec);

    public Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation)
    {
        long now = Stopwatch.GetTimestamp();
        if (launch.Spec.Container?.Command is [.., string script] && Marker(script) is { } marker)
        {
            _startCalled.TryAdd(marker, now);
        }

        if (_watched.TryAdd(launch.Log, true))
        {
            launch.Log.LineWritten += line => _lines.TryAdd(line, Stopwatch.GetTimestamp());
        }

        return inner.StartAsync(launch, cancellation);
    }

    public Task CleanUpAfterCrashAsync(CancellationToken cancellation) => inner.CleanUpAfterCrashAsync(cancellation);

    public bool NeedsArtifactFile(WorkloadSpec spec) => Preparer.NeedsArtifactFile(spec);

    public Task PrepareAsync(WorkloadSpec spec, string? artifactFile, IProgress<long>? progress, CancellationToken cancellation) =>
        Preparer.PrepareAsync(spec, artifactFile, progress, cancellation);

    public bool IsPrepared(WorkloadSpec spec) => Preparer.IsPrepared(spec);

    public void CollectGarbage(IReadOnlyCollection<WorkloadSpec> inUse) => Preparer.CollectGarbage(inUse);

    // The spec's script echoes 'ready MARKER': the marker is the word after "ready ".
    private static string? Marker(string script)
    {
        int at = script.IndexOf("'ready ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int start = at + "'ready ".Length;
        int end = script.IndexOf('\'', start);
        return end > start ? script[start..end] : null;
    }
}
