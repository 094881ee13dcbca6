using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// Wraps the real driver and keeps a list of what it started and stopped, so tests can see restarts, the order
/// of starts and stops, and that no workload ever runs twice at once. Also stands in for a SIGKILL: it can stop
/// every machine it started (in-process workloads die with their process).
/// </summary>
internal sealed class TrackingDriver(IWorkloadDriver inner) : IWorkloadDriver
{
    private readonly Lock _gate = new();
    private readonly List<Started> _started = [];
    private readonly List<string> _stops = [];
    private readonly List<string> _overlaps = [];

    public string Kind => inner.Kind;

    /// <summary>Makes the next starts of <paramref name="workload"/> throw this many times (a transient start error).</summary>
    public int FailNextStarts { get; set; }

    public IReadOnlyList<Started> Starts
    {
        get
        {
            lock (_gate)
            {
                return _started.ToArray();
            }
        }
    }

    /// <summary>Names in the order StopAsync was called on them.</summary>
    public IReadOnlyList<string> Stops
    {
        get
        {
            lock (_gate)
            {
                return _stops.ToArray();
            }
        }
    }

    /// <summary>Starts of a workload while another instance of it still ran (must stay empty).</summary>
    public IReadOnlyList<string> Overlaps
    {
        get
        {
            lock (_gate)
            {
                return _overlaps.ToArray();
            }
        }
    }

    public int StartsOf(string workload) => Starts.Count(s => s.Name == workload);

    public IReadOnlyList<Started> Live => Starts.Where(s => !s.Workload.Exited.IsCompleted).ToArray();

    public string? Validate(WorkloadSpec spec) => inner.Validate(spec);

    public async Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation)
    {
        if (FailNextStarts > 0)
        {
            FailNextStarts--;
            throw new IOException("simulated transient start failure");
        }

        var workload = await inner.StartAsync(launch, cancellation);
        lock (_gate)
        {
            if (_started.Any(s => s.Name == launch.Spec.Name && !s.Workload.Exited.IsCompleted))
            {
                _overlaps.Add(launch.Spec.Name);
            }

            _started.Add(new Started(launch.Spec.Name, launch.ArtifactPath ?? "", workload));
        }

        return new Tracked(workload, this);
    }

    /// <summary>Stops every machine still running, as a killed process would.</summary>
    public async Task KillAllAsync()
    {
        foreach (var started in Live)
        {
            await started.Workload.StopAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            await started.Workload.DisposeAsync();
        }
    }

    private void Stopping(string name)
    {
        lock (_gate)
        {
            _stops.Add(name);
        }
    }

    /// <summary>One start: the workload's name, the staged image it ran, the instance.</summary>
    public sealed record Started(string Name, string ArtifactPath, IWorkload Workload);

    private sealed class Tracked(IWorkload inner, TrackingDriver driver) : IWorkload
    {
        public string Name => inner.Name;

        public Task<WorkloadExit> Exited => inner.Exited;

        public string? CheckHealth() => inner.CheckHealth();

        public Task StopAsync(TimeSpan grace, CancellationToken cancellation)
        {
            driver.Stopping(inner.Name);
            return inner.StopAsync(grace, cancellation);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
