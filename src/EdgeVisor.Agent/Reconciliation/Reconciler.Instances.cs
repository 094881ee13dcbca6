using System.Globalization;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

// Running instances: starting and stopping them, their exits, the restart policy, health windows, restarts on
// request, and the workload state they change.
public sealed partial class Reconciler
{
    private async Task StartInstanceAsync(WorkloadSlot slot, WorkloadSpec spec, StagedGeneration staged, int generation, CancellationToken ct)
    {
        var driver = _drivers.TryGetValue(spec.Kind, out var found)
            ? found
            : throw new WorkloadStartException($"kind '{spec.Kind}' is not supported by this agent");
        var launch = new WorkloadLaunch
        {
            Spec = spec,
            ArtifactPath = staged.ArtifactPath,
            AuxiliaryPaths = staged.WiringPath is { } wiring ? new Dictionary<string, string> { ["wiring"] = wiring } : new Dictionary<string, string>(),
            DataDirectory = staged.DataDirectory,
            Log = LogOf(slot.Name, staged.LogDirectory),
        };
        slot.InstanceStartedAt = Now;
        var instance = await driver.StartAsync(launch, ct).ConfigureAwait(false);
        slot.Instance = instance;
        ReconcilerLog.Started(_logger, slot.Name, generation);
        _ = WatchExitAsync(slot.Name, instance);
    }

    /// <summary>One console log per workload for the life of the process, across generations and restarts.</summary>
    private WorkloadLog LogOf(string workload, string directory)
    {
        if (!_logs.TryGetValue(workload, out var log))
        {
            log = new WorkloadLog(directory);
            log.LineWritten += line => ToSink(() => _sink.Log(workload, [line]), "a console line");
            log.LineWritten += line => _followers.Publish(workload, line);
            _logs[workload] = log;
        }

        return log;
    }

    /// <summary>
    /// Starts the active generation outside a rollout (agent start, policy restart, rollback, command); it is
    /// Starting until it stays up for the health-check window.
    /// </summary>
    private async Task<string?> StartActiveAsync(WorkloadSlot slot, string why, CancellationToken ct)
    {
        var active = slot.Record.Active!;
        var spec = slot.ActiveSpec ??= active.ReadSpec();
        var staged = _staging.Find(slot.Name, active.Number, spec, copiesArtifact: PreparerOf(spec) is null);
        string? error = null;
        if (staged is null)
        {
            error = $"the staged files of generation {active.Number} are missing";
        }
        else
        {
            try
            {
                await StartInstanceAsync(slot, spec, staged, active.Number, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e.Message;
            }
        }

        if (error is not null)
        {
            slot.Record.HeldVersion = _desired?.State.Version;
            SetState(slot, WorkloadState.Failed, $"{why}: could not start: {error}");
            return error;
        }

        slot.HealthDue = Now + HealthWindow(slot.Instance);
        SetState(slot, WorkloadState.Starting, slot.VersionProblem is null ? null : ReasonAfterRollback(slot));
        return null;
    }

    private static string? ReasonAfterRollback(WorkloadSlot slot) => slot.VersionProblem is null ? null : "rolled back: " + slot.VersionProblem;

    private async Task ConfirmHealthyAsync(WorkloadSlot slot, CancellationToken ct)
    {
        slot.HealthDue = null;
        if (slot.Instance is not { } instance)
        {
            return;
        }

        if (instance.CheckHealth() is { } problem)
        {
            await StopInstanceAsync(slot, ct).ConfigureAwait(false);
            ApplyRestartPolicy(slot, new WorkloadExit(true, null, $"unhealthy: {problem}"));
            return;
        }

        SetState(slot, WorkloadState.Running, ReasonAfterRollback(slot));
    }

    /// <summary>Stops the slot's instance (its exit is then no news: the slot forgets it first).</summary>
    private async Task StopInstanceAsync(WorkloadSlot slot, CancellationToken ct)
    {
        if (slot.Instance is not { } instance)
        {
            return;
        }

        slot.Instance = null;
        slot.Resources = null;
        slot.HealthDue = null;
        try
        {
            await instance.StopAsync(TimeSpan.FromSeconds(_options.Reconcile.StopGraceSeconds), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReconcilerLog.StopFailed(_logger, e, slot.Name);
        }
        finally
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WatchExitAsync(string workload, IWorkload instance)
    {
        WorkloadExit exit;
        try
        {
            exit = await instance.Exited.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            exit = new WorkloadExit(true, null, $"the workload's driver failed: {e.Message}");
        }

        _inbox.Writer.TryWrite(new ExitMessage(workload, instance, exit));
    }

    private async Task HandleExitAsync(ExitMessage message, CancellationToken ct)
    {
        // Stopped on purpose (the slot forgot it first), or an instance from before a replacement.
        if (!_slots.TryGetValue(message.Workload, out var slot) || !ReferenceEquals(slot.Instance, message.Instance))
        {
            return;
        }

        slot.Instance = null;
        slot.HealthDue = null;
        await message.Instance.DisposeAsync().ConfigureAwait(false);
        ReconcilerLog.Exited(_logger, slot.Name, message.Exit.Reason);
        if (slot.Rollout is { Kind: RolloutKind.Deploy, NextStep: RolloutSteps.HealthCheck } rollout && rollout.Target!.Number == slot.Record.Active?.Number)
        {
            await CompleteHealthCheckAsync(slot, rollout, message.Exit, ct).ConfigureAwait(false);
            return;
        }

        ApplyRestartPolicy(slot, message.Exit);
    }

    /// <summary>Applies the active spec's restart policy to an exit the agent did not ask for.</summary>
    private void ApplyRestartPolicy(WorkloadSlot slot, WorkloadExit exit)
    {
        var policy = (slot.ActiveSpec ?? slot.Record.Active!.ReadSpec()).Restart;
        if (RestartDecision.StayedUp(Now - slot.InstanceStartedAt, slot.LastBackoff))
        {
            slot.RestartStreak = 0;
        }

        var decision = RestartDecision.Decide(policy, exit, slot.RestartStreak);
        switch (decision.Action)
        {
            case RestartAction.Stop:
                SetState(slot, WorkloadState.Stopped, decision.Reason);
                break;
            case RestartAction.Fail:
                slot.Record.HeldVersion = _desired?.State.Version;
                SetState(slot, WorkloadState.Failed, decision.Reason);
                break;
            case RestartAction.Restart:
                slot.RestartDue = Now + decision.Delay;
                slot.LastBackoff = decision.Delay;
                slot.RestartReason = decision.Reason;
                SetState(slot, WorkloadState.Pending, $"restarting in {decision.Delay.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s after: {decision.Reason}");
                break;
        }
    }

    private async Task RestartByPolicyAsync(WorkloadSlot slot, CancellationToken ct)
    {
        slot.RestartDue = null;
        if (slot.Record.Active is null)
        {
            return;
        }

        slot.RestartStreak++;
        slot.Record.Restarts++;
        string after = slot.RestartReason ?? "an exit";
        Emit(EventKinds.WorkloadRestarted, $"{slot.Name}: restart {slot.Record.Restarts} after: {after}", "warning", slot.Name);
        if (await StartActiveAsync(slot, "restart", ct).ConfigureAwait(false) is not null)
        {
            // StartActiveAsync left it Failed; a start failure counts like a failed run for the policy.
            ApplyRestartPolicy(slot, new WorkloadExit(true, null, slot.Record.Reason ?? "could not start"));
        }
    }

    private async Task<string?> RestartOnRequestAsync(string workload, CancellationToken ct)
    {
        if (!_slots.TryGetValue(workload, out var slot))
        {
            return $"no workload named '{workload}' on this device";
        }

        if (slot.Rollout is { } rollout && (rollout.Kind == RolloutKind.Remove || RolloutSteps.IndexOf(rollout.NextStep) >= StopOldIndex))
        {
            return $"workload '{workload}' is being {(rollout.Kind == RolloutKind.Remove ? "removed" : "updated")} (step {rollout.NextStep}); try again when it is running";
        }

        if (slot.Record.Active is null)
        {
            return $"workload '{workload}' has not been started yet (state {slot.Record.State.ToString().ToLowerInvariant()})";
        }

        // An operator's restart is not a failure: it neither counts as a restart nor continues a backoff streak.
        await StopInstanceAsync(slot, ct).ConfigureAwait(false);
        slot.RestartDue = null;
        slot.RestartStreak = 0;
        slot.LastBackoff = TimeSpan.Zero;
        Emit(EventKinds.WorkloadRestarted, $"{workload}: restarted on request", workload: workload);
        string? error = await StartActiveAsync(slot, "restart on request", ct).ConfigureAwait(false);
        return error is null ? null : $"workload '{workload}' could not start: {error}";
    }

    /// <summary>Changes a workload's state (persisted) and says so in a workload-state event; the report follows.</summary>
    private void SetState(WorkloadSlot slot, WorkloadState state, string? reason)
    {
        var record = slot.Record;
        if (record.State == state && record.Reason == reason)
        {
            _records.Save(record);
            return;
        }

        record.State = state;
        record.Reason = reason;
        record.SinceUnixMs = Now.ToUnixTimeMilliseconds();
        _records.Save(record);
        ReconcilerLog.StateChanged(_logger, slot.Name, state, reason);
        string name = StateName(state);
        Emit(EventKinds.WorkloadState, reason is null ? $"{slot.Name}: {name}" : $"{slot.Name}: {name} ({reason})", state == WorkloadState.Failed ? "error" : "info", slot.Name);
        _dirty = true;
    }

    private static string StateName(WorkloadState state) => state.ToString().ToLowerInvariant();
}
