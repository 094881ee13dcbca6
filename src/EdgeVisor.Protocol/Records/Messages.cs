using System.Text.Json.Nodes;

namespace EdgeVisor.Protocol;

/// <summary>Retained on <see cref="DeviceTopics.Status"/>: <c>online</c> when the agent connects; the broker publishes the <c>offline</c> last will.</summary>
public sealed record DeviceStatus
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required string DeviceId { get; init; }

    /// <summary><see cref="DeviceStates"/>.</summary>
    public required string State { get; init; }

    public string AgentVersion { get; init; } = "";

    /// <summary>When the agent connected (the last will carries the same time: the session it ends).</summary>
    public DateTimeOffset Since { get; init; }
}

public static class DeviceStates
{
    public const string Online = "online";
    public const string Offline = "offline";
}

/// <summary>On <see cref="DeviceTopics.Events"/>: something happened that a controller or operator should know, in order.</summary>
public sealed record EventRecord
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required string DeviceId { get; init; }

    /// <summary>Per-device sequence number, strictly increasing across restarts: lets a controller spot gaps and duplicates.</summary>
    public long Sequence { get; init; }

    /// <summary><see cref="EventKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>info, warning or error.</summary>
    public string Severity { get; init; } = "info";

    public required string Message { get; init; }

    public string? Workload { get; init; }

    public string? DeploymentId { get; init; }

    public long? Version { get; init; }

    /// <summary>Set for <see cref="EventKinds.DeploymentRejected"/>.</summary>
    public RejectionReason? Reason { get; init; }

    public DateTimeOffset Timestamp { get; init; }
}

public static class EventKinds
{
    public const string DeploymentAccepted = "deployment-accepted";
    public const string DeploymentRejected = "deployment-rejected";
    public const string DeploymentApplied = "deployment-applied";
    public const string WorkloadState = "workload-state";
    public const string WorkloadRestarted = "workload-restarted";
    public const string AgentStarted = "agent-started";
    public const string AgentStopping = "agent-stopping";

    /// <summary>The retained desired message was cleared on the broker (empty payload); the device keeps running what it has.</summary>
    public const string DesiredCleared = "desired-cleared";

    /// <summary>The outbox was full while the broker was unreachable; the message says how many messages were dropped.</summary>
    public const string OutboxOverflow = "outbox-overflow";
}

/// <summary>The body of a request on <see cref="DeviceTopics.Command"/> (the command name is the topic's last level).</summary>
public sealed record CommandRequest
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public IReadOnlyDictionary<string, string> Arguments { get; init; } = new Dictionary<string, string>();
}

/// <summary>The reply, published to the request's response topic with its correlation data.</summary>
public sealed record CommandResponse
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required bool Ok { get; init; }

    /// <summary>One line when <see cref="Ok"/> is false.</summary>
    public string? Error { get; init; }

    public JsonObject? Result { get; init; }
}

/// <summary>The commands an agent answers.</summary>
public static class CommandNames
{
    /// <summary>Replies with the agent version and uptime.</summary>
    public const string Ping = "ping";

    /// <summary>Argument <c>workload</c>: stops and starts it again.</summary>
    public const string RestartWorkload = "restart-workload";

    /// <summary>Arguments <c>workload</c>, optional <c>lines</c> (default 100): the tail of its console log.</summary>
    public const string GetLogs = "get-logs";

    /// <summary>Replies, then stops the agent so its service manager starts it again.</summary>
    public const string RebootAgent = "reboot-agent";
}

/// <summary>On <see cref="DeviceTopics.Telemetry"/>: named numeric values of one stream at one time.</summary>
public sealed record TelemetryRecord
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required string DeviceId { get; init; }

    public required string Stream { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();
}

/// <summary>On <see cref="DeviceTopics.Logs"/>: complete lines of a workload's console, in order.</summary>
public sealed record LogRecord
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    public required string DeviceId { get; init; }

    public required string Workload { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public IReadOnlyList<string> Lines { get; init; } = [];
}
