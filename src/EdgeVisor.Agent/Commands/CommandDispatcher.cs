using System.Globalization;
using System.Text.Json.Nodes;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Commands;

/// <summary>
/// Runs the fleet commands a device answers (<see cref="CommandNames"/>): ping, restart-workload, get-logs,
/// reboot-agent. Bad requests (unknown command, not JSON, a missing or bad argument) get <c>ok: false</c> with one
/// line naming the argument; nothing is changed by a refused command.
/// </summary>
public sealed class CommandDispatcher
{
    /// <summary>Default and largest <c>lines</c> of get-logs.</summary>
    public const int DefaultLogLines = 100;

    public const int MaxLogLines = 1000;

    /// <summary>Largest request body accepted.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    private readonly string _deviceId;
    private readonly IAgentControl _agent;
    private readonly Func<DateTimeOffset?> _connectedSince;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly ILogger _logger;

    /// <param name="deviceId">This device.</param>
    /// <param name="agent">What the commands act on.</param>
    /// <param name="connectedSince">When the current broker connection was made (ping reports it).</param>
    /// <param name="time">The clock (uptime).</param>
    /// <param name="logger">One line per command handled.</param>
    public CommandDispatcher(string deviceId, IAgentControl agent, Func<DateTimeOffset?> connectedSince, TimeProvider time, ILogger logger)
    {
        _deviceId = deviceId;
        _agent = agent;
        _connectedSince = connectedSince;
        _time = time;
        _started = time.GetUtcNow();
        _logger = logger;
    }

    /// <summary>Handles command <paramref name="name"/> with the raw request body (empty: no arguments).</summary>
    public async Task<CommandOutcome> DispatchAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        CommandRequest request;
        try
        {
            request = payload.IsEmpty ? new CommandRequest() : ProtocolJson.Parse<CommandRequest>(payload.Span, MaxRequestBytes);
        }
        catch (ProtocolException e)
        {
            _logger.LogWarning("Command {Command} refused: request body: {Error}", name, e.Message);
            return CommandOutcome.Failed($"request body: {e.Message}");
        }

        var outcome = name switch
        {
            CommandNames.Ping => Ping(),
            CommandNames.RestartWorkload => await RestartWorkloadAsync(request, cancellation).ConfigureAwait(false),
            CommandNames.GetLogs => GetLogs(request),
            CommandNames.RebootAgent => RebootAgent(),
            _ => CommandOutcome.Failed($"unknown command '{name}' (this agent answers {CommandNames.Ping}, {CommandNames.RestartWorkload}, {CommandNames.GetLogs}, {CommandNames.RebootAgent})"),
        };
        if (outcome.Response.Ok)
        {
            CommandLog.Done(_logger, name);
        }
        else
        {
            _logger.LogWarning("Command {Command} refused: {Error}", name, outcome.Response.Error);
        }

        return outcome;
    }

    private CommandOutcome Ping()
    {
        var now = _time.GetUtcNow();
        var result = new JsonObject
        {
            ["deviceId"] = _deviceId,
            ["agentVersion"] = AgentVersion.Current,
            ["uptimeSeconds"] = Math.Round((now - _started).TotalSeconds, 3),
            ["connectedSince"] = _connectedSince()?.ToString("O", CultureInfo.InvariantCulture),
        };
        return Succeeded(result);
    }

    private async Task<CommandOutcome> RestartWorkloadAsync(CommandRequest request, CancellationToken cancellation)
    {
        if (RequiredWorkload(request, out string workload) is { } missing)
        {
            return missing;
        }

        string? error = await _agent.RestartWorkloadAsync(workload, cancellation).ConfigureAwait(false);
        return error is null ? Succeeded(new JsonObject { ["workload"] = workload }) : CommandOutcome.Failed(error);
    }

    private CommandOutcome GetLogs(CommandRequest request)
    {
        if (RequiredWorkload(request, out string workload) is { } missing)
        {
            return missing;
        }

        int lines = DefaultLogLines;
        if (request.Arguments.TryGetValue("lines", out string? text)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out lines) || lines < 1 || lines > MaxLogLines))
        {
            return CommandOutcome.Failed($"argument 'lines': '{text}' is not a whole number from 1 to {MaxLogLines}");
        }

        var tail = _agent.Logs(workload, lines);
        if (tail is null)
        {
            return CommandOutcome.Failed($"argument 'workload': no workload '{workload}' on this device");
        }

        return Succeeded(new JsonObject
        {
            ["workload"] = workload,
            ["lines"] = new JsonArray(tail.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
        });
    }

    private CommandOutcome RebootAgent() =>
        new(new CommandResponse { Ok = true, Result = new JsonObject { ["restarting"] = true } }, _agent.RequestRestart);

    private static CommandOutcome? RequiredWorkload(CommandRequest request, out string workload)
    {
        if (!request.Arguments.TryGetValue("workload", out workload!) || string.IsNullOrEmpty(workload))
        {
            workload = "";
            return CommandOutcome.Failed("argument 'workload' is missing");
        }

        return Names.IsValid(workload) ? null : CommandOutcome.Failed($"argument 'workload': '{workload}' is not a valid workload name");
    }

    private static CommandOutcome Succeeded(JsonObject result) => new(new CommandResponse { Ok = true, Result = result });
}

/// <summary>Command log lines below warning (event ids 5200-5299; next free: 5201).</summary>
internal static partial class CommandLog
{
    [LoggerMessage(5200, LogLevel.Information, "Command {Command} done")]
    public static partial void Done(ILogger logger, string command);
}
