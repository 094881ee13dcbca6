using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>
/// One step of one workload's rollout for one desired version, in <see cref="AgentStore.JournalCollection"/>:
/// written before the step (<see cref="JournalStatus.Started"/>) and after it (done or failed), so a start after a
/// crash knows which step was open. The id is "version/workload/step": redoing a step updates its entry.
/// </summary>
public sealed class JournalEntry
{
    [BsonId]
    public string Id { get; set; } = "";

    public long Version { get; set; }

    public string Workload { get; set; } = "";

    public string Step { get; set; } = "";

    public JournalStatus Status { get; set; }

    /// <summary>How many times the step was begun (1 on the first try).</summary>
    public int Attempt { get; set; }

    /// <summary>Why the last attempt failed (one line).</summary>
    public string? Error { get; set; }

    public long StartedUnixMs { get; set; }

    public long? EndedUnixMs { get; set; }
}

/// <summary>Where a journaled step stands.</summary>
public enum JournalStatus
{
    Started,
    Done,
    Failed,
}
