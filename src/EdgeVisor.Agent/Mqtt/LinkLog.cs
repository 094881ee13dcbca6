using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>The MQTT link's information and debug lines (event ids 5100-5199; next free: 5108).</summary>
internal static partial class LinkLog
{
    [LoggerMessage(5100, LogLevel.Information, "Connected to {Broker} as {Device} (session present: {SessionPresent}, {Waiting} messages in the outbox)")]
    public static partial void Connected(ILogger logger, string broker, string device, bool sessionPresent, int waiting);

    [LoggerMessage(5101, LogLevel.Information, "Disconnected from the broker ({Waiting} messages left in the outbox)")]
    public static partial void Disconnected(ILogger logger, int waiting);

    [LoggerMessage(5102, LogLevel.Debug, "Cannot connect to {Broker}: {Error}")]
    public static partial void StillCannotConnect(ILogger logger, string broker, string error);

    [LoggerMessage(5103, LogLevel.Debug, "Dropping a half-open connection: {Error}")]
    public static partial void DroppingHalfOpen(ILogger logger, string error);

    [LoggerMessage(5104, LogLevel.Debug, "Outbox paused at entry {Id}: {Error}")]
    public static partial void OutboxPaused(ILogger logger, long id, string error);

    [LoggerMessage(5105, LogLevel.Debug, "Ignored a message on {Topic}")]
    public static partial void IgnoredMessage(ILogger logger, string topic);

    [LoggerMessage(5106, LogLevel.Information, "Command {Command} abandoned: the agent is stopping")]
    public static partial void CommandAbandoned(ILogger logger, string command);

    [LoggerMessage(5107, LogLevel.Debug, "Dropped {Count} console lines of {Workload}: {Error} (the log files keep them)")]
    public static partial void LogLinesDropped(ILogger logger, int count, string workload, string error);
}
