using EdgeVisor.Protocol;
using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>
/// What the agent knows about one workload, kept in <see cref="AgentStore.WorkloadsCollection"/> (one document per
/// name, so a crash can never leave two). The reconciler is its only writer. After an agent start nothing runs
/// (in-process workloads died with the previous process): the record says what should run again.
/// </summary>
public sealed class WorkloadRecord
{
    /// <summary>The workload's name: the document id.</summary>
    [BsonId]
    public string Name { get; set; } = "";

    /// <summary>Position in the desired document: start in this order, stop in reverse.</summary>
    public int Order { get; set; }

    public string Kind { get; set; } = "";

    /// <summary>The generation that runs (or should run). Null until a first generation was started.</summary>
    public GenerationRecord? Active { get; set; }

    /// <summary>The generation <see cref="Active"/> replaced: what a failed update rolls back to.</summary>
    public GenerationRecord? Previous { get; set; }

    /// <summary>True when <see cref="Previous"/> was running when the update stopped it (only then is a rollback useful).</summary>
    public bool PreviousWasRunning { get; set; }

    /// <summary>A generation being rolled out (steps fetch … health-check in progress); null when none.</summary>
    public GenerationRecord? Target { get; set; }

    public WorkloadState State { get; set; } = WorkloadState.Pending;

    public string? Reason { get; set; }

    /// <summary>Restarts by the restart policy since the workload last started from a deployment.</summary>
    public int Restarts { get; set; }

    /// <summary>When <see cref="State"/> last changed (Unix milliseconds, UTC).</summary>
    public long SinceUnixMs { get; set; }

    /// <summary>
    /// A desired version whose rollout of this workload failed for good (permanent error, rollback, restart limit):
    /// not retried until a newer version arrives.
    /// </summary>
    public long? HeldVersion { get; set; }
}

/// <summary>One staged generation of a workload: a spec from a desired version, under workloads/&lt;name&gt;/&lt;number&gt;/.</summary>
public sealed class GenerationRecord
{
    /// <summary>Increases per workload with every rollout; names the stage directory.</summary>
    public int Number { get; set; }

    /// <summary>The desired version the generation came from.</summary>
    public long Version { get; set; }

    public string DeploymentId { get; set; } = "";

    /// <summary>SHA-256 (hex) of the spec's wire JSON: equal hashes mean nothing to do.</summary>
    public string SpecHash { get; set; } = "";

    /// <summary>The <see cref="WorkloadSpec"/> as wire JSON (its own serialiser, so the record is exact).</summary>
    public string SpecJson { get; set; } = "";

    public string ArtifactSha256 { get; set; } = "";

    public string? WiringSha256 { get; set; }

    /// <summary>The spec this generation runs.</summary>
    public WorkloadSpec ReadSpec() => ProtocolJson.Parse<WorkloadSpec>(System.Text.Encoding.UTF8.GetBytes(SpecJson));
}
