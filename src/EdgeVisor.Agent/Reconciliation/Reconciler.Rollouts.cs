using EdgeVisor.Workloads.Downloads;
using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

// Rollouts: the journaled steps, their retries, the rollback of a failed update, and removals.
public sealed partial class Reconciler
{
    private static readonly int StopOldIndex = RolloutSteps.IndexOf(RolloutSteps.StopOld);

    /// <summary>Runs everything that is due: removals (reverse order), restart and health timers, rollouts (document order).</summary>
    private async Task AdvanceAsync(CancellationToken ct)
    {
        if (_shuttingDown)
        {
            return;
        }

        foreach (var slot in _slots.Values.Where(s => s.Rollout?.Kind == RolloutKind.Remove).OrderByDescending(s => s.Record.Order).ToList())
        {
            await GuardedAsync(slot, () => RemoveAsync(slot, slot.Rollout!, ct), ct).ConfigureAwait(false);
        }

        foreach (var slot in Ordered().ToList())
        {
            if (slot.RestartDue <= Now)
            {
                await GuardedAsync(slot, () => RestartByPolicyAsync(slot, ct), ct).ConfigureAwait(false);
            }

            if (NowUnhealthy(slot) is { } problem)
            {
                await GuardedAsync(slot, () => RestartUnhealthyAsync(slot, problem, ct), ct).ConfigureAwait(false);
            }

            if (slot.HealthDue <= Now)
            {
                await GuardedAsync(slot, () => ConfirmHealthyAsync(slot, ct), ct).ConfigureAwait(false);
            }
        }

        // Start in document order: a rollout may stop its old generation and start the new one only when no
        // earlier workload is still on its way there (one waiting out a retry does not hold the others up).
        bool earlierOnTheWay = false;
        foreach (var slot in Ordered().Where(s => s.Rollout?.Kind == RolloutKind.Deploy).ToList())
        {
            bool mayStart = !earlierOnTheWay;
            await GuardedAsync(slot, () => AdvanceRolloutAsync(slot, mayStart, ct), ct).ConfigureAwait(false);
            if (slot.Rollout is { Kind: RolloutKind.Deploy } r && RolloutSteps.IndexOf(r.NextStep) <= StopOldIndex && !r.WaitingToRetry(Now))
            {
                earlierOnTheWay = true;
            }
        }
    }

    /// <summary>A bug or an unexpected failure in one workload's work must not stop the loop for the others.</summary>
    private async Task GuardedAsync(WorkloadSlot slot, Func<Task> work, CancellationToken ct)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ReconcilerLog.LoopError(_logger, e, $"workload {slot.Name}");
            if (slot.Rollout is { } r)
            {
                StepFailed(slot, r, r.NextStep, e.Message, permanent: false, retryStep: r.NextStep);
            }
        }
    }

    private async Task AdvanceRolloutAsync(WorkloadSlot slot, bool mayStart, CancellationToken ct)
    {
        while (slot.Rollout is { Kind: RolloutKind.Deploy, Fetching: null } r && !(r.DueAt > Now))
        {
            if (RolloutSteps.IndexOf(r.NextStep) >= StopOldIndex && !mayStart)
            {
                return;
            }

            switch (r.NextStep)
            {
                case RolloutSteps.Fetch:
                    BeginFetch(slot, r);
                    break;
                case RolloutSteps.Verify:
                    Verify(slot, r);
                    break;
                case RolloutSteps.Stage:
                    Stage(slot, r);
                    break;
                case RolloutSteps.StopOld:
                    await StopOldAsync(slot, r, ct).ConfigureAwait(false);
                    break;
                case RolloutSteps.StartNew:
                    await StartNewAsync(slot, r, ct).ConfigureAwait(false);
                    break;
                case RolloutSteps.HealthCheck:
                    await CompleteHealthCheckAsync(slot, r, exit: null, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    // The journal entry is written first, then the fault point: a crash at "before-x" leaves x open in the journal.
    private void BeginStep(WorkloadSlot slot, Rollout rollout, string step)
    {
        _journal.Begin(rollout.Version, slot.Name, step);
        Fault(FaultPoints.Before(step));
    }

    private void EndStep(WorkloadSlot slot, Rollout rollout, string step)
    {
        _journal.Complete(rollout.Version, slot.Name, step);
        Fault(FaultPoints.After(step));
    }

    private void BeginFetch(WorkloadSlot slot, Rollout rollout)
    {
        BeginStep(slot, rollout, RolloutSteps.Fetch);
        var spec = rollout.Spec!;
        var wiring = spec.Firmware?.Wiring;
        rollout.FetchIsLocal = PreparerOf(spec) is { } preparer
            ? IsPrepared(preparer, spec) || (preparer.NeedsArtifactFile(spec) && IsLocal(spec.Artifact))
            : IsLocal(spec.Artifact) && (wiring is null || IsLocal(wiring));
        SetState(slot, WorkloadState.Downloading, null);
        rollout.Fetching = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _ = FetchInBackgroundAsync(slot.Name, rollout, spec, rollout.Fetching.Token);
    }

    private bool IsLocal(ArtifactRef artifact) =>
        _artifacts.TryGetPath(artifact.Sha256, out _)
        || artifact.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || Path.IsPathRooted(artifact.Url);

    /// <summary>
    /// Fetches the artifact and the wiring (or has the driver prepare its artifact) off the loop; the outcome (or the
    /// error) is posted back to it.
    /// </summary>
    private async Task FetchInBackgroundAsync(string workload, Rollout rollout, WorkloadSpec spec, CancellationToken ct)
    {
        Exception? error = null;
        try
        {
            if (PreparerOf(spec) is { } preparer)
            {
                await PrepareAsync(preparer, spec, ct).ConfigureAwait(false);
            }
            else
            {
                await _artifacts.FetchAsync(spec.Artifact, null, ct).ConfigureAwait(false);
                if (spec.Firmware?.Wiring is { } wiring)
                {
                    await _artifacts.FetchAsync(wiring, null, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        _inbox.Writer.TryWrite(new FetchDone(workload, rollout, error));
    }

    private void HandleFetchDone(FetchDone done)
    {
        // A rollout replaced meanwhile (newer desired version) or cancelled by a shutdown: its result is stale.
        if (!_slots.TryGetValue(done.Workload, out var slot) || !ReferenceEquals(slot.Rollout, done.Rollout) || done.Rollout.Fetching is null)
        {
            return;
        }

        var rollout = done.Rollout;
        rollout.Fetching.Dispose();
        rollout.Fetching = null;
        if (done.Error is null)
        {
            EndStep(slot, rollout, RolloutSteps.Fetch);
            rollout.NextStep = RolloutSteps.Verify;
            return;
        }

        bool permanent = done.Error is ArtifactException { Permanent: true };
        StepFailed(slot, rollout, RolloutSteps.Fetch, done.Error.Message, permanent, retryStep: RolloutSteps.Fetch);
    }

    private void Verify(WorkloadSlot slot, Rollout rollout)
    {
        BeginStep(slot, rollout, RolloutSteps.Verify);
        var spec = rollout.Spec!;
        if (!_drivers.TryGetValue(spec.Kind, out var driver))
        {
            StepFailed(slot, rollout, RolloutSteps.Verify, $"kind '{spec.Kind}' is not supported by this agent", permanent: true, retryStep: RolloutSteps.Verify);
            return;
        }

        if (driver.Validate(spec) is { } error)
        {
            StepFailed(slot, rollout, RolloutSteps.Verify, error, permanent: true, retryStep: RolloutSteps.Verify);
            return;
        }

        if (MissingArtifact(spec) is { } missing)
        {
            StepFailed(slot, rollout, RolloutSteps.Verify, missing, permanent: false, retryStep: RolloutSteps.Fetch);
            return;
        }

        EndStep(slot, rollout, RolloutSteps.Verify);
        rollout.NextStep = RolloutSteps.Stage;
    }

    private string? MissingArtifact(WorkloadSpec spec)
    {
        if (PreparerOf(spec) is { } preparer)
        {
            return IsPrepared(preparer, spec) ? null : $"the image of {spec.Artifact.Url} (sha256 {spec.Artifact.Sha256}) is not prepared";
        }

        if (!_artifacts.TryGetPath(spec.Artifact.Sha256, out _))
        {
            return $"artifact sha256 {spec.Artifact.Sha256} is not in the artifact store";
        }

        return spec.Firmware?.Wiring is { } wiring && !_artifacts.TryGetPath(wiring.Sha256, out _)
            ? $"wiring sha256 {wiring.Sha256} is not in the artifact store"
            : null;
    }

    private void Stage(WorkloadSlot slot, Rollout rollout)
    {
        BeginStep(slot, rollout, RolloutSteps.Stage);
        var spec = rollout.Spec!;
        if (MissingArtifact(spec) is { } missing)
        {
            StepFailed(slot, rollout, RolloutSteps.Stage, missing, permanent: false, retryStep: RolloutSteps.Fetch);
            return;
        }

        string? artifactPath = PreparerOf(spec) is null && _artifacts.TryGetPath(spec.Artifact.Sha256, out string stored) ? stored : null;
        string? wiringPath = spec.Firmware?.Wiring is { } wiring && _artifacts.TryGetPath(wiring.Sha256, out string path) ? path : null;
        try
        {
            rollout.Staged = _staging.Stage(slot.Name, rollout.Target!.Number, spec, artifactPath, wiringPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StepFailed(slot, rollout, RolloutSteps.Stage, e.Message, permanent: false, retryStep: RolloutSteps.Stage);
            return;
        }

        EndStep(slot, rollout, RolloutSteps.Stage);
        rollout.NextStep = RolloutSteps.StopOld;
    }

    private async Task StopOldAsync(WorkloadSlot slot, Rollout rollout, CancellationToken ct)
    {
        BeginStep(slot, rollout, RolloutSteps.StopOld);
        slot.RestartDue = null;
        slot.HealthDue = null;
        if (slot.Instance is { } running && running.CheckHealth() is null)
        {
            // Remembered before stopping, so a crash here still knows a failed update has something to go back to.
            slot.Record.PreviousWasRunning = true;
            _records.Save(slot.Record);
        }

        await StopInstanceAsync(slot, ct).ConfigureAwait(false);
        EndStep(slot, rollout, RolloutSteps.StopOld);
        rollout.NextStep = RolloutSteps.StartNew;
    }

    private async Task StartNewAsync(WorkloadSlot slot, Rollout rollout, CancellationToken ct)
    {
        BeginStep(slot, rollout, RolloutSteps.StartNew);
        var record = slot.Record;
        var target = rollout.Target!;
        var spec = rollout.Spec!;
        var staged = rollout.Staged ?? _staging.Find(slot.Name, target.Number, spec, copiesArtifact: PreparerOf(spec) is null);
        if (staged is null)
        {
            StepFailed(slot, rollout, RolloutSteps.StartNew, $"the staged files of generation {target.Number} are missing", permanent: false, retryStep: RolloutSteps.Verify);
            return;
        }

        if (record.Active is { } active && active.Number != target.Number)
        {
            record.Previous = active;
        }

        record.Active = target;
        slot.ActiveSpec = spec;
        record.Restarts = 0;
        slot.RestartStreak = 0;
        slot.LastBackoff = TimeSpan.Zero;
        SetState(slot, WorkloadState.Starting, null);
        try
        {
            await StartInstanceAsync(slot, spec, staged, target.Number, ct).ConfigureAwait(false);
        }
        catch (WorkloadStartException e)
        {
            _journal.Fail(rollout.Version, slot.Name, RolloutSteps.StartNew, e.Message);
            await FailNewGenerationAsync(slot, rollout, $"could not start: {e.Message}", exit: null, ct).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StepFailed(slot, rollout, RolloutSteps.StartNew, e.Message, permanent: false, retryStep: RolloutSteps.StartNew);
            return;
        }

        EndStep(slot, rollout, RolloutSteps.StartNew);
        BeginStep(slot, rollout, RolloutSteps.HealthCheck);
        rollout.NextStep = RolloutSteps.HealthCheck;
        rollout.DueAt = Now + HealthWindow(slot.Instance);
    }

    /// <summary>
    /// The end of the health-check window (<paramref name="exit"/> null), or the new generation ended inside it. A
    /// clean exit with code 0 passes (a run-to-completion firmware), and its restart policy then applies.
    /// </summary>
    private async Task CompleteHealthCheckAsync(WorkloadSlot slot, Rollout rollout, WorkloadExit? exit, CancellationToken ct)
    {
        string? problem = exit is not null
            ? (exit.Failed ? exit.Reason : null)
            : slot.Instance is null ? "it is not running" : slot.Instance.CheckHealth();
        if (problem is not null)
        {
            _journal.Fail(rollout.Version, slot.Name, RolloutSteps.HealthCheck, problem);
            await FailNewGenerationAsync(slot, rollout, $"health check: {problem}", exit, ct).ConfigureAwait(false);
            return;
        }

        // The record says "done" first; the journal entry follows (a crash between them is resolved by the record).
        slot.Rollout = null;
        _preparedGarbageDue = true;
        slot.Record.Target = null;
        slot.Record.HeldVersion = null;
        slot.Record.PreviousWasRunning = false;
        if (exit is null)
        {
            SetState(slot, WorkloadState.Running, null);
        }
        else
        {
            _records.Save(slot.Record);
        }

        EndStep(slot, rollout, RolloutSteps.HealthCheck);
        if (exit is not null)
        {
            ApplyRestartPolicy(slot, exit);
        }
    }

    /// <summary>
    /// The new generation could not start or failed its health check. An update whose previous generation was
    /// running goes back to it; a crash of a new workload is handled by its restart policy; anything else leaves it
    /// failed until a newer desired version.
    /// </summary>
    private async Task FailNewGenerationAsync(WorkloadSlot slot, Rollout rollout, string reason, WorkloadExit? exit, CancellationToken ct)
    {
        var record = slot.Record;
        slot.Rollout = null;
        record.Target = null;
        _preparedGarbageDue = true;
        await StopInstanceAsync(slot, ct).ConfigureAwait(false);
        var failed = record.Active;
        if (record.Previous is { } previous && record.PreviousWasRunning)
        {
            record.HeldVersion = rollout.Version;
            record.PreviousWasRunning = false;
            ReconcilerLog.RollingBack(_logger, slot.Name, previous.Number, reason);
            Emit(EventKinds.WorkloadState, $"{slot.Name}: deployment {rollout.DeploymentId} version {rollout.Version} failed ({reason}); rolling back to the previous version (generation {previous.Number})", "error", slot.Name);
            slot.VersionProblem = $"{slot.Name} rolled back to its previous version ({reason})";
            record.Active = previous;
            record.Previous = failed;
            slot.ActiveSpec = previous.ReadSpec();
            await StartActiveAsync(slot, "rollback", ct).ConfigureAwait(false);
            return;
        }

        if (exit is not null)
        {
            // A new workload that crashed: its restart policy decides (on-failure restarts it with backoff).
            _records.Save(record);
            ApplyRestartPolicy(slot, exit);
            return;
        }

        record.HeldVersion = rollout.Version;
        SetState(slot, WorkloadState.Failed, reason);
    }

    /// <summary>
    /// A failed step: retried after a backoff when transient (from <paramref name="retryStep"/>), or, when
    /// permanent, the rollout ends here and is not retried until a newer desired version. The older generation, if
    /// it still runs, keeps running.
    /// </summary>
    private void StepFailed(WorkloadSlot slot, Rollout rollout, string step, string message, bool permanent, string retryStep)
    {
        var entry = _journal.Find(rollout.Version, slot.Name, step);
        _journal.Fail(rollout.Version, slot.Name, step, message);
        ReconcilerLog.StepFailed(_logger, slot.Name, step, entry?.Attempt ?? 1, permanent ? "permanent" : "transient", message);
        if (permanent)
        {
            rollout.CancelFetch();
            slot.Rollout = null;
            _preparedGarbageDue = true;
            slot.Record.Target = null;
            slot.Record.HeldVersion = rollout.Version;
            string reason = $"{step}: {message}";
            if (slot.Instance is not null)
            {
                slot.VersionProblem = $"{slot.Name} stays on its previous version (update failed: {reason})";
                SetState(slot, WorkloadState.Running, $"update to deployment {rollout.DeploymentId} version {rollout.Version} failed: {reason}");
            }
            else
            {
                SetState(slot, WorkloadState.Failed, reason);
            }

            return;
        }

        rollout.Failures++;
        var delay = RetryBackoff.Delay(_options.Reconcile, rollout.Failures);
        rollout.NextStep = retryStep;
        rollout.DueAt = Now + delay;
        SetState(slot, WorkloadState.Pending, $"{step} failed (attempt {rollout.Failures}), retrying in {delay.TotalSeconds:0.#} s: {message}");
    }

    private async Task RemoveAsync(WorkloadSlot slot, Rollout rollout, CancellationToken ct)
    {
        BeginStep(slot, rollout, RolloutSteps.StopOld);
        slot.RestartDue = null;
        await StopInstanceAsync(slot, ct).ConfigureAwait(false);
        _records.Delete(slot.Name);
        _slots.Remove(slot.Name);
        _preparedGarbageDue = true;
        UpdateKnownWorkloads();
        if (_logs.TryRemove(slot.Name, out var log))
        {
            log.Dispose();
        }

        // Data and logs stay (removing a workload should not destroy what it kept); its generations go.
        _staging.DeleteGenerationsExcept(slot.Name, new HashSet<int>());
        EndStep(slot, rollout, RolloutSteps.StopOld);
        Emit(EventKinds.WorkloadState, $"{slot.Name}: removed", workload: slot.Name);
        _dirty = true;
    }
}
