using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

// Drivers that prepare their own artifacts (IPreparesArtifacts: container images pulled from a registry or imported
// from a tarball) and what running workloads use (resource figures, the live report of `edgevisor ps`).
public sealed partial class Reconciler
{
    // One prepare per image at a time: workloads sharing an image (or an update racing a restart) would otherwise
    // download the same blobs into the same partial files at once. The second one then finds the image prepared.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _prepareGates = new(StringComparer.Ordinal);
    private DateTimeOffset _resourcesDue = DateTimeOffset.MinValue;
    private bool _preparedGarbageDue;

    /// <summary>
    /// The device's state with every running workload's resources read now, computed on the loop (it waits for the
    /// step in progress); what <c>edgevisor ps</c> shows. Nothing is published. Once the loop has ended: the last report.
    /// </summary>
    public async Task<ReportedState> ReadLiveAsync(CancellationToken ct)
    {
        if (_loopEnded)
        {
            return Current;
        }

        var reply = new TaskCompletionSource<ReportedState>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.Writer.TryWrite(new LiveRequest(reply));
        return await reply.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// How long a started generation must stay healthy before it counts as running: <c>Reconcile.HealthCheckSeconds</c>,
    /// or, for an instance with its own health check (a container's, from its spec or its image), long enough for that
    /// check to reach a verdict (the start period plus every allowed failing probe), so a new image that never becomes
    /// healthy is rolled back.
    /// </summary>
    private TimeSpan HealthWindow(IWorkload? instance)
    {
        double seconds = _options.Reconcile.HealthCheckSeconds;
        if (instance?.HealthCheck is { } check)
        {
            seconds = Math.Max(seconds, check.StartPeriodSeconds + (check.Retries * (check.IntervalSeconds + check.TimeoutSeconds)));
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// A running container whose own health check failed, outside a health window (those decide themselves): null
    /// when healthy or not such a workload. Only instances that run a check of their own are polled, so firmware behaves as
    /// it always did.
    /// </summary>
    private static string? NowUnhealthy(WorkloadSlot slot) =>
        slot is { Instance: { HealthCheck: not null } instance, HealthDue: null }
        && slot.Rollout is not { Kind: RolloutKind.Deploy, NextStep: RolloutSteps.HealthCheck }
        && slot.Record.State == WorkloadState.Running
            ? instance.CheckHealth()
            : null;

    /// <summary>Stops an unhealthy container; its restart policy decides what follows (as for a crash).</summary>
    private async Task RestartUnhealthyAsync(WorkloadSlot slot, string problem, CancellationToken ct)
    {
        Emit(EventKinds.WorkloadState, $"{slot.Name}: unhealthy ({problem})", "warning", slot.Name);
        await StopInstanceAsync(slot, ct).ConfigureAwait(false);
        ApplyRestartPolicy(slot, new WorkloadExit(true, null, $"unhealthy: {problem}"));
    }

    /// <summary>The spec's driver when it prepares its own artifacts, else null (the artifact store fetches them).</summary>
    private IPreparesArtifacts? PreparerOf(WorkloadSpec spec) =>
        _drivers.TryGetValue(spec.Kind, out var driver) ? driver as IPreparesArtifacts : null;

    /// <summary>Whether the preparing driver has <paramref name="spec"/>'s artifact ready; a driver that throws says no.</summary>
    private bool IsPrepared(IPreparesArtifacts preparer, WorkloadSpec spec)
    {
        try
        {
            return preparer.IsPrepared(spec);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ReconcilerLog.DriverFailed(_logger, e, spec.Name, nameof(IPreparesArtifacts.IsPrepared));
            return false;
        }
    }

    /// <summary>
    /// Off the loop: the artifact store fetches the tarball when the driver needs a file (verified by its sha256),
    /// then the driver pulls or imports and unpacks it. Both resume what an interrupted attempt left.
    /// </summary>
    private async Task PrepareAsync(IPreparesArtifacts preparer, WorkloadSpec spec, CancellationToken ct)
    {
        var gate = _prepareGates.GetOrAdd($"{spec.Kind}:{spec.Artifact.Sha256}", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string? file = preparer.NeedsArtifactFile(spec) ? await _artifacts.FetchAsync(spec.Artifact, null, ct).ConfigureAwait(false) : null;
            await preparer.PrepareAsync(spec, file, null, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every spec the agent may still start (active, previous, target of every slot), by kind.</summary>
    private Dictionary<string, List<WorkloadSpec>> SpecsInUse()
    {
        var specs = new Dictionary<string, List<WorkloadSpec>>(StringComparer.Ordinal);
        foreach (var slot in _slots.Values)
        {
            var record = slot.Record;
            foreach (var generation in new[] { record.Active, record.Previous, record.Target }.OfType<State.GenerationRecord>())
            {
                var spec = ReferenceEquals(generation, record.Active) && slot.ActiveSpec is { } active ? active : generation.ReadSpec();
                if (!specs.TryGetValue(spec.Kind, out var list))
                {
                    specs[spec.Kind] = list = [];
                }

                list.Add(spec);
            }
        }

        return specs;
    }

    /// <summary>
    /// Lets every preparing driver drop what no spec in use needs (after a rollout finishes, and at start). A rollback
    /// needs the previous image, so the previous generation's spec is in use until a newer rollout replaces it.
    /// </summary>
    private void CollectPreparedGarbage()
    {
        _preparedGarbageDue = false;
        var inUse = SpecsInUse();
        foreach (var (kind, driver) in _drivers)
        {
            if (driver is not IPreparesArtifacts preparer)
            {
                continue;
            }

            try
            {
                preparer.CollectGarbage(inUse.TryGetValue(kind, out var specs) ? specs : []);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ReconcilerLog.DriverFailed(_logger, e, kind, nameof(IPreparesArtifacts.CollectGarbage));
            }
        }
    }

    /// <summary>
    /// Reads the running workloads' resources when the telemetry interval is up (or for a workload that has none
    /// yet): a report is published when they change, so at most once per interval, not on every counter tick.
    /// </summary>
    private void RefreshResources()
    {
        var now = Now;
        bool due = now >= _resourcesDue;
        foreach (var slot in _slots.Values)
        {
            if (slot.Instance is not { } instance)
            {
                slot.Resources = null;
                continue;
            }

            if (!due && slot.Resources is not null)
            {
                continue;
            }

            var read = ReadResources(slot.Name, instance);
            if (read != slot.Resources)
            {
                slot.Resources = read;
                _dirty = true;
            }
        }

        if (due)
        {
            _resourcesDue = now + TimeSpan.FromSeconds(_options.TelemetrySeconds);
        }
    }

    private WorkloadResources? ReadResources(string workload, IWorkload instance)
    {
        try
        {
            return instance.ReadResources();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ReconcilerLog.DriverFailed(_logger, e, workload, nameof(IWorkload.ReadResources));
            return null;
        }
    }

    /// <summary>The report with every running workload's resources as they are now (the slots keep their last reading).</summary>
    private ReportedState BuildLiveReport()
    {
        var live = _slots.Values.ToDictionary(s => s, s => s.Instance is { } instance ? ReadResources(s.Name, instance) : null);
        return ReportBuilder.Build(_options.DeviceId, _agentVersion, _desired?.State, _desiredHashes, _lastRejection, _slots.Values, Now, slot => live[slot]);
    }

    private sealed record LiveRequest(TaskCompletionSource<ReportedState> Reply) : LoopMessage;
}
