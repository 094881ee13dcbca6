using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Control;

/// <summary>
/// One request on the control socket, sent as one JSON line: <c>{"command":"ps"}</c> or
/// <c>{"command":"logs","workload":"web","tail":100,"follow":true}</c>.
/// </summary>
public sealed record ControlRequest
{
    /// <summary><see cref="ControlCommands.Ps"/> or <see cref="ControlCommands.Logs"/>.</summary>
    public required string Command { get; init; }

    /// <summary>The workload whose console <see cref="ControlCommands.Logs"/> reads.</summary>
    public string? Workload { get; init; }

    /// <summary>How many of the last console lines to send first (logs).</summary>
    public int Tail { get; init; } = ControlCommands.DefaultTail;

    /// <summary>Keep the connection open and send new console lines as they are written (logs).</summary>
    public bool Follow { get; init; }
}

/// <summary>The commands the control socket answers.</summary>
public static class ControlCommands
{
    public const string Ps = "ps";

    public const string Logs = "logs";

    /// <summary>Console lines sent when a logs request names no tail.</summary>
    public const int DefaultTail = 100;

    /// <summary>The most lines one logs request may ask for (the rotating files hold about this many at most).</summary>
    public const int MaxTail = 100_000;
}

/// <summary>
/// The first line of every answer, as JSON. <c>ps</c>: <see cref="State"/> is the device's live report. <c>logs</c>:
/// after an <see cref="ControlStatus.Ok"/> header, console lines follow as plain UTF-8 text, one per line (a
/// console line never holds a line break), until the agent closes the connection — after the tail, or when
/// following, when the client goes or the agent stops.
/// </summary>
public sealed record ControlReply
{
    /// <summary>One of <see cref="ControlStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>One line saying what was wrong (null when <see cref="Status"/> is ok).</summary>
    public string? Error { get; init; }

    /// <summary>The device's state (ps).</summary>
    public ReportedState? State { get; init; }
}

/// <summary>What a <see cref="ControlReply"/> says about its request; each is a distinct, stable code.</summary>
public static class ControlStatus
{
    public const string Ok = "ok";

    /// <summary>Not one JSON line, not a request, an unknown command or a bad argument.</summary>
    public const string BadRequest = "bad-request";

    /// <summary>The agent has no workload of that name.</summary>
    public const string UnknownWorkload = "unknown-workload";

    /// <summary>The agent could not answer (it is stopping, or failed reading its state).</summary>
    public const string Failed = "failed";
}
