using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// A driver of kind <c>container</c> that prepares its own artifacts, for the reconciler's side of
/// <see cref="IPreparesArtifacts"/>: it records every prepare (with the file the artifact store handed it), keeps a
/// set of prepared digests that <see cref="CollectGarbage"/> trims, and starts in-process stand-ins whose
/// resource counters grow on every read. The real container driver runs in the end-to-end tests.
/// </summary>
internal sealed class PreparingDriver : IWorkloadDriver, IPreparesArtifacts
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _prepared = new(StringComparer.Ordinal);
    private readonly List<(string Sha256, string? File)> _prepares = [];
    private readonly List<IReadOnlyCollection<WorkloadSpec>> _collections = [];
    private readonly List<WorkloadLaunch> _launches = [];
    private readonly Queue<Exception> _prepareFailures = new();
    private int _preparing;
    private int _mostAtOnce;

    public string Kind => WorkloadKinds.Container;

    /// <summary>Every PrepareAsync call: the spec's digest and the artifact file it got (null for a registry image).</summary>
    public IReadOnlyList<(string Sha256, string? File)> Prepares
    {
        get
        {
            lock (_gate)
            {
                return [.. _prepares];
            }
        }
    }

    /// <summary>What each CollectGarbage call was told is still in use.</summary>
    public IReadOnlyList<IReadOnlyCollection<WorkloadSpec>> Collections
    {
        get
        {
            lock (_gate)
            {
                return [.. _collections];
            }
        }
    }

    public IReadOnlyList<WorkloadLaunch> Launches
    {
        get
        {
            lock (_gate)
            {
                return [.. _launches];
            }
        }
    }

    public IReadOnlySet<string> Prepared
    {
        get
        {
            lock (_gate)
            {
                return _prepared.ToHashSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The most prepares that ran at the same time.</summary>
    public int MostPreparesAtOnce => Volatile.Read(ref _mostAtOnce);

    /// <summary>How long each prepare takes (a pull is not instant).</summary>
    public TimeSpan PrepareTime { get; set; }

    /// <summary>Digests whose container exits with code 3 right after it starts (a broken image).</summary>
    public HashSet<string> Crashing { get; } = new(StringComparer.Ordinal);

    /// <summary>Digests whose container's health check fails (a probe that never passes).</summary>
    public HashSet<string> Unhealthy { get; } = new(StringComparer.Ordinal);

    /// <summary>A line each container writes to its log as it starts, before StartAsync returns (output that comes at once).</summary>
    public string? FirstLine { get; set; }

    /// <summary>The next prepares throw these, in order.</summary>
    public void FailNextPrepare(Exception error)
    {
        lock (_gate)
        {
            _prepareFailures.Enqueue(error);
        }
    }

    public string? Validate(WorkloadSpec spec) => spec.Container is null ? "container: missing" : null;

    public bool NeedsArtifactFile(WorkloadSpec spec) => !spec.Artifact.Url.StartsWith("oci://", StringComparison.Ordinal);

    public async Task PrepareAsync(WorkloadSpec spec, string? artifactFile, IProgress<long>? progress, CancellationToken cancellation)
    {
        await Task.Yield();
        int now = Interlocked.Increment(ref _preparing);
        try
        {
            lock (_gate)
            {
                _mostAtOnce = Math.Max(_mostAtOnce, now);
                _prepares.Add((spec.Artifact.Sha256, artifactFile));
                if (_prepareFailures.TryDequeue(out var failure))
                {
                    throw failure;
                }
            }

            await Task.Delay(PrepareTime, cancellation);
        }
        finally
        {
            Interlocked.Decrement(ref _preparing);
        }

        if (NeedsArtifactFile(spec))
        {
            // What the real driver relies on: the artifact store verified the tarball before handing it over.
            string actual = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(artifactFile!, cancellation)));
            if (actual != spec.Artifact.Sha256)
            {
                throw new ArtifactException($"{artifactFile}: sha256 {actual}, not {spec.Artifact.Sha256}", permanent: true);
            }
        }

        lock (_gate)
        {
            _prepared.Add(spec.Artifact.Sha256);
        }
    }

    public bool IsPrepared(WorkloadSpec spec)
    {
        lock (_gate)
        {
            return _prepared.Contains(spec.Artifact.Sha256);
        }
    }

    public void CollectGarbage(IReadOnlyCollection<WorkloadSpec> inUse)
    {
        lock (_gate)
        {
            _collections.Add(inUse);
            _prepared.IntersectWith(inUse.Select(s => s.Artifact.Sha256));
        }
    }

    public Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation)
    {
        if (!IsPrepared(launch.Spec))
        {
            throw new WorkloadStartException($"image sha256 {launch.Spec.Artifact.Sha256} is not prepared");
        }

        lock (_gate)
        {
            _launches.Add(launch);
        }

        if (FirstLine is { } line)
        {
            launch.Log.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }

        var container = new FakeContainer(launch.Spec.Name, launch.Spec.Container?.HealthCheck, () => Unhealthy.Contains(launch.Spec.Artifact.Sha256));
        if (Crashing.Contains(launch.Spec.Artifact.Sha256))
        {
            container.End(new WorkloadExit(true, 3, "exited with code 3"));
        }

        return Task.FromResult<IWorkload>(container);
    }

    /// <summary>Runs until stopped; every resource read reports a little more CPU time.</summary>
    private sealed class FakeContainer(string name, HealthCheckSpec? healthCheck, Func<bool> unhealthy) : IWorkload
    {
        private readonly TaskCompletionSource<WorkloadExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public string Name => name;

        public Task<WorkloadExit> Exited => _exited.Task;

        public void End(WorkloadExit exit) => _exited.TrySetResult(exit);

        public Task StopAsync(TimeSpan grace, CancellationToken cancellation)
        {
            End(new WorkloadExit(false, 0, "stopped", Requested: true));
            return Task.CompletedTask;
        }

        /// <summary>The spec's check, as the container driver reports it.</summary>
        public HealthCheckSpec? HealthCheck => healthCheck;

        public string? CheckHealth() => _exited.Task.IsCompleted ? "not running" : unhealthy() ? "exec probe exited with 1 (2 times)" : null;

        public WorkloadResources ReadResources()
        {
            int reads = Interlocked.Increment(ref _reads);
            return new WorkloadResources { CpuSeconds = reads * 0.25, MemoryBytes = 1 << 20, MemoryLimitBytes = 64 << 20, Pids = 2, OomKills = 0 };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
