using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Reconciliation;

// Desired state: the gate's verdict, storing an accepted document, planning, recovery after a start, and the
// end of a deployment.
public sealed partial class Reconciler
{
    private void HandleDesired(byte[] payload)
    {
        var decision = _gate.Check(payload, new StoredDesiredView(_desired?.Raw), _desiredDocuments.LastAcceptedVersion);
        switch (decision.Outcome)
        {
            case GateOutcome.Cleared:
                ReconcilerLog.Cleared(_logger);
                Emit(EventKinds.DesiredCleared, "the retained desired state was cleared on the broker; the device keeps its current deployment");
                break;
            case GateOutcome.Unchanged:
                ReconcilerLog.Redelivered(_logger, "the current desired state");
                break;
            case GateOutcome.Rejected when _lastRejectedRaw is { } rejected && payload.AsSpan().SequenceEqual(rejected):
                // The same refused retained message again (a reconnect): it was reported once already.
                ReconcilerLog.Redelivered(_logger, "the last rejected document");
                break;
            case GateOutcome.Rejected:
                Reject(decision, payload);
                break;
            case GateOutcome.Accepted:
                Accept(payload, decision.State!);
                break;
        }
    }

    /// <summary>Reports a refused document; nothing else changes (stored desired state, workloads).</summary>
    private void Reject(GateDecision decision, byte[]? raw)
    {
        ReconcilerLog.Rejected(_logger, decision.Reason, decision.Message!);
        _lastRejectedRaw = raw;
        _lastRejection = new Rejection
        {
            Reason = decision.Reason,
            Message = decision.Message!,
            DeploymentId = decision.DeploymentId,
            Version = decision.Version,
            At = Now,
        };
        _desiredDocuments.SaveRejection(_lastRejection);
        string claimed = decision.DeploymentId is null && decision.Version is null
            ? ""
            : $" (claimed deployment {decision.DeploymentId ?? "?"} version {decision.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})";
        Emit(EventKinds.DeploymentRejected, $"desired state rejected{claimed}: {decision.Message}", "error", reason: decision.Reason, deploymentId: decision.DeploymentId, version: decision.Version);
        _dirty = true;
    }

    private void Accept(byte[] raw, DesiredState state)
    {
        _desired = _desiredDocuments.Save(raw, state);
        _desiredHashes = HashesOf(state);
        _lastRejection = null;
        _lastRejectedRaw = null;
        ReconcilerLog.Accepted(_logger, state.DeploymentId, state.Version, state.Workloads.Count);
        Emit(EventKinds.DeploymentAccepted, $"deployment {state.DeploymentId} version {state.Version} accepted ({state.Workloads.Count} workloads)");
        Fault(FaultPoints.Accepted);
        Replan();
        _dirty = true;
    }

    private static Dictionary<string, string> HashesOf(DesiredState? state) =>
        (state?.Workloads ?? []).ToDictionary(w => w.Name, RolloutPlanner.SpecHash, StringComparer.Ordinal);

    /// <summary>Plans the current desired state against the slots and opens the rollouts it needs.</summary>
    private void Replan()
    {
        var state = _desired?.State;
        foreach (var item in RolloutPlanner.Plan(state, _slots))
        {
            _slots.TryGetValue(item.Name, out var slot);
            switch (item.Action)
            {
                case PlanAction.Keep when slot is not null && item.Spec is not null && slot.Record.Order != item.Order:
                    slot.Record.Order = item.Order;
                    _records.Save(slot.Record);
                    break;
                case PlanAction.Deploy:
                    OpenRollout(slot, item, state!);
                    break;
                case PlanAction.Resume:
                    ResumeRollout(slot!);
                    break;
                case PlanAction.Remove:
                    slot!.Rollout?.CancelFetch();
                    slot.Rollout = new Rollout
                    {
                        Kind = RolloutKind.Remove,
                        Version = state?.Version ?? 0,
                        DeploymentId = state?.DeploymentId ?? "",
                        NextStep = RolloutSteps.StopOld,
                    };
                    break;
            }
        }

        UpdateKnownWorkloads();
    }

    private void OpenRollout(WorkloadSlot? slot, PlanItem item, DesiredState state)
    {
        var spec = item.Spec!;
        if (slot is null)
        {
            slot = new WorkloadSlot(new WorkloadRecord { Name = spec.Name, Kind = spec.Kind, SinceUnixMs = Now.ToUnixTimeMilliseconds() });
            _slots.Add(spec.Name, slot);
        }

        // A rollout still in progress for an older spec is abandoned; whatever it already started keeps running as
        // the active generation until this rollout's stop-old.
        slot.Rollout?.CancelFetch();
        var record = slot.Record;
        record.Order = item.Order;
        record.Kind = spec.Kind;
        var target = new GenerationRecord
        {
            Number = Math.Max(record.Active?.Number ?? 0, Math.Max(record.Previous?.Number ?? 0, record.Target?.Number ?? 0)) + 1,
            Version = state.Version,
            DeploymentId = state.DeploymentId,
            SpecHash = item.SpecHash!,
            SpecJson = System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(spec)),
            ArtifactSha256 = spec.Artifact.Sha256,
            WiringSha256 = spec.Firmware?.Wiring?.Sha256,
        };
        record.Target = target;
        record.PreviousWasRunning = false;
        record.HeldVersion = null;
        slot.VersionProblem = null;
        slot.Rollout = new Rollout { Kind = RolloutKind.Deploy, Version = state.Version, DeploymentId = state.DeploymentId, Target = target, Spec = spec, NextStep = RolloutSteps.Fetch };
        _records.Save(record);
        SetState(slot, WorkloadState.Pending, null);
    }

    /// <summary>
    /// After a start: continues the recorded target's rollout at the first step the journal does not have as done.
    /// Steps before stop-old are redone if they were open (they are idempotent); from stop-old on, the new
    /// generation died with the previous process, so it is started again and checked again.
    /// </summary>
    private void ResumeRollout(WorkloadSlot slot)
    {
        var record = slot.Record;
        var target = record.Target!;
        string? next = RolloutSteps.All.FirstOrDefault(step => _journal.Find(target.Version, slot.Name, step)?.Status != JournalStatus.Done);
        if (next is null)
        {
            // Every step is done; only the record's final write was lost.
            record.Target = null;
            record.Restarts = 0;
            _records.Save(record);
            return;
        }

        if (next == RolloutSteps.HealthCheck)
        {
            next = RolloutSteps.StartNew;
        }

        slot.Rollout = new Rollout
        {
            Kind = RolloutKind.Deploy,
            Version = target.Version,
            DeploymentId = target.DeploymentId,
            Target = target,
            Spec = target.ReadSpec(),
            NextStep = next,
        };
    }

    /// <summary>
    /// Loads the stored desired state and the records, plans, and starts again what should run and is not about
    /// to be replaced (the old generation keeps serving while an update fetches).
    /// </summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        _desired = _desiredDocuments.Load();
        _desiredHashes = HashesOf(_desired?.State);
        _lastRejection = _desiredDocuments.LoadRejection();
        _appliedVersion = _desiredDocuments.AppliedVersion;
        foreach (var record in _records.All())
        {
            var slot = new WorkloadSlot(record);
            slot.ActiveSpec = record.Active?.ReadSpec();
            _slots[record.Name] = slot;
        }

        Replan();
        foreach (var slot in Ordered().ToList())
        {
            bool replacedSoon = slot.Rollout is { } r && (r.Kind == RolloutKind.Remove || RolloutSteps.IndexOf(r.NextStep) >= RolloutSteps.IndexOf(RolloutSteps.StopOld));
            if (slot.Record.Active is null || replacedSoon || slot.Record.State is WorkloadState.Failed or WorkloadState.Stopped)
            {
                continue;
            }

            await StartActiveAsync(slot, "agent started", ct).ConfigureAwait(false);
        }

        // Images an earlier process pulled for specs that are gone (it died before collecting them).
        _preparedGarbageDue = true;
        _dirty = true;
    }

    private void DeploymentApplied(DesiredState state)
    {
        var problems = Ordered()
            .Select(s => s.VersionProblem ?? (s.Record.State == Protocol.WorkloadState.Failed ? $"{s.Name} failed: {s.Record.Reason}" : null))
            .OfType<string>()
            .ToList();
        string summary = problems.Count == 0
            ? $"{state.Workloads.Count} workloads as desired"
            : "with problems: " + string.Join("; ", problems);
        ReconcilerLog.Applied(_logger, state.DeploymentId, state.Version, summary);
        Emit(EventKinds.DeploymentApplied, $"deployment {state.DeploymentId} version {state.Version} applied {(problems.Count == 0 ? "(" + summary + ")" : summary)}", problems.Count == 0 ? "info" : "warning");
        _desiredDocuments.AppliedVersion = state.Version;
        _appliedVersion = state.Version;
        _journal.DeleteOlderThan(state.Version);
        CollectGarbage();
        _dirty = true;
    }

    /// <summary>
    /// Drops artifacts, prepared images and generation directories nothing needs (the active and the rollback
    /// generation stay). An image tarball is not kept referenced once its driver imported it: the driver keeps the
    /// image, and the artifact store's budget for unreferenced files decides how long the tarball stays.
    /// </summary>
    private void CollectGarbage()
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in _slots.Values)
        {
            foreach (var generation in new[] { slot.Record.Active, slot.Record.Previous, slot.Record.Target }.OfType<GenerationRecord>())
            {
                if (!_drivers.TryGetValue(slot.Record.Kind, out var driver) || driver is not Workloads.IPreparesArtifacts)
                {
                    referenced.Add(generation.ArtifactSha256);
                }

                if (generation.WiringSha256 is { } wiring)
                {
                    referenced.Add(wiring);
                }
            }

            var keep = new[] { slot.Record.Active?.Number, slot.Record.Previous?.Number, slot.Record.Target?.Number }.OfType<int>().ToHashSet();
            try
            {
                _staging.DeleteGenerationsExcept(slot.Name, keep);
            }
            catch (IOException e)
            {
                ReconcilerLog.GarbageFailed(_logger, e);
            }
        }

        try
        {
            _artifacts.CollectGarbage(referenced);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReconcilerLog.GarbageFailed(_logger, e);
        }

        CollectPreparedGarbage();
    }
}
