namespace EdgeVisor.Protocol;

/// <summary>
/// Retained on <see cref="DeviceTopics.Reported"/>: the device's view of itself after each change. The latest one
/// is the truth; controllers need not see every intermediate state (events carry the history).
/// </summary>
public sealed record ReportedState
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required string DeviceId { get; init; }

    public string AgentVersion { get; init; } = "";

    /// <summary>The deployment and version of the desired state the device is working on or has applied (null: none yet).</summary>
    public string? DeploymentId { get; init; }

    public long? Version { get; init; }

    /// <summary>True when every workload of <see cref="Version"/> has reached its target state.</summary>
    public bool Converged { get; init; }

    /// <summary>The last desired document the device refused, with why (null: none since the last accepted one).</summary>
    public Rejection? LastRejection { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public IReadOnlyList<WorkloadReport> Workloads { get; init; } = [];
}

/// <summary>One workload as the device sees it.</summary>
public sealed record WorkloadReport
{
    public required string Name { get; init; }

    public required string Kind { get; init; }

    public required WorkloadState State { get; init; }

    /// <summary>Why the workload is failed, stopped or pending a retry; null when nothing needs saying.</summary>
    public string? Reason { get; init; }

    /// <summary>The artifact digest the workload runs (or is being moved to).</summary>
    public string? ArtifactSha256 { get; init; }

    /// <summary>Restarts since the workload last started from a deployment.</summary>
    public int Restarts { get; init; }

    /// <summary>What the running workload uses (null: not running, or its driver cannot tell).</summary>
    public WorkloadResources? Resources { get; init; }

    public DateTimeOffset Since { get; init; }
}

/// <summary>A running workload's resource figures, read from its cgroup for containers.</summary>
public sealed record WorkloadResources
{
    /// <summary>CPU time used since the workload started, user + system, in seconds.</summary>
    public double CpuSeconds { get; init; }

    public long MemoryBytes { get; init; }

    /// <summary>The memory limit in force (null: none).</summary>
    public long? MemoryLimitBytes { get; init; }

    public int Pids { get; init; }

    /// <summary>Processes the kernel's OOM killer ended inside the workload since it started.</summary>
    public long OomKills { get; init; }
}

/// <summary>The states the issue names, in a workload's usual order.</summary>
public enum WorkloadState
{
    Pending,
    Downloading,
    Starting,
    Running,
    Failed,
    Stopped,
}

/// <summary>A refused desired-state document: what it was (as far as it could be read) and why.</summary>
public sealed record Rejection
{
    public required RejectionReason Reason { get; init; }

    /// <summary>One line naming what was wrong and where, e.g. <c>workloads[1].artifact.sha256: not 64 hex digits</c>.</summary>
    public required string Message { get; init; }

    public string? DeploymentId { get; init; }

    public long? Version { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>Why a document was refused; each is a distinct, stable code on the wire (kebab-case).</summary>
public enum RejectionReason
{
    /// <summary>Not JSON, or not the record it should be (missing required field, wrong type).</summary>
    Malformed,

    /// <summary>Larger than the device accepts.</summary>
    TooLarge,

    /// <summary>A schema version this device does not understand.</summary>
    UnsupportedSchema,

    /// <summary>No signature, or not a signed envelope at all.</summary>
    Unsigned,

    /// <summary>Signed by a key the device does not trust.</summary>
    UnknownKey,

    /// <summary>The signature does not match the payload (tampered, or wrong key).</summary>
    BadSignature,

    /// <summary>Signed for another device.</summary>
    WrongDevice,

    /// <summary>Version not higher than the last accepted one (replayed or stale).</summary>
    Replayed,

    /// <summary>Well-formed and signed, but not something the device can run (duplicate names, unknown kind or board, bad digest).</summary>
    Invalid,
}
