using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// One workload as the reconcile loop holds it: the persisted record plus what exists only in this process (the
/// running instance, a rollout in progress, restart and health timers). Touched only by the loop (under its gate).
/// </summary>
internal sealed class WorkloadSlot(WorkloadRecord record)
{
    public WorkloadRecord Record { get; } = record;

    public string Name => Record.Name;

    /// <summary>The running instance (of <see cref="WorkloadRecord.Active"/>), null when nothing runs.</summary>
    public IWorkload? Instance { get; set; }

    public DateTimeOffset InstanceStartedAt { get; set; }

    /// <summary>The running instance's last resource reading (null: none yet, not running, or the driver cannot tell).</summary>
    public WorkloadResources? Resources { get; set; }

    /// <summary>A rollout in progress (a new generation, or the removal).</summary>
    public Rollout? Rollout { get; set; }

    /// <summary>When the restart policy starts the workload again (null: no restart pending).</summary>
    public DateTimeOffset? RestartDue { get; set; }

    /// <summary>The exit the pending restart follows (for the event and the limit message).</summary>
    public string? RestartReason { get; set; }

    /// <summary>Restarts since the workload last stayed up long enough (drives backoff and MaxRestarts).</summary>
    public int RestartStreak { get; set; }

    /// <summary>The backoff that preceded the current run.</summary>
    public TimeSpan LastBackoff { get; set; }

    /// <summary>When a start outside a rollout (restart, agent start, command) is confirmed healthy: Starting → Running.</summary>
    public DateTimeOffset? HealthDue { get; set; }

    /// <summary>True once a rollout of the current desired version rolled this workload back or left it failed.</summary>
    public string? VersionProblem { get; set; }

    /// <summary>The workload's spec as it runs (Active generation), or null before the first start.</summary>
    public WorkloadSpec? ActiveSpec { get; set; }
}

/// <summary>What a rollout does.</summary>
internal enum RolloutKind
{
    /// <summary>Fetch, verify, stage, stop the old generation, start the new one, check its health.</summary>
    Deploy,

    /// <summary>The workload left the desired state: stop it and forget it.</summary>
    Remove,
}

/// <summary>A workload's progress through <see cref="RolloutSteps"/> for one desired version.</summary>
internal sealed class Rollout
{
    public required RolloutKind Kind { get; init; }

    /// <summary>The desired version the journal entries are filed under.</summary>
    public required long Version { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>The generation being rolled out (null for a removal).</summary>
    public GenerationRecord? Target { get; init; }

    public WorkloadSpec? Spec { get; init; }

    public required string NextStep { get; set; }

    /// <summary>Not before this time (a retry backoff, or the end of the health-check window).</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Failed attempts so far (drives the retry backoff).</summary>
    public int Failures { get; set; }

    /// <summary>Set while the fetch runs in the background; its completion is posted to the loop.</summary>
    public CancellationTokenSource? Fetching { get; set; }

    /// <summary>True when the running fetch only copies local files (it does not wait on the network).</summary>
    public bool FetchIsLocal { get; set; }

    public string? ArtifactPath { get; set; }

    public string? WiringPath { get; set; }

    public StagedGeneration? Staged { get; set; }

    /// <summary>True while waiting out a retry backoff (not while waiting for the health-check window).</summary>
    public bool WaitingToRetry(DateTimeOffset now) => DueAt > now && NextStep != RolloutSteps.HealthCheck;

    public void CancelFetch()
    {
        if (Fetching is { } fetching)
        {
            fetching.Cancel();
            fetching.Dispose();
            Fetching = null;
        }
    }
}
