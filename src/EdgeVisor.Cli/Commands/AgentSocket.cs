using System.CommandLine;
using EdgeVisor.Agent;
using EdgeVisor.Agent.Control;
using EdgeVisor.Agent.Hosting;
using Microsoft.Extensions.Configuration;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// What <c>edgevisor ps</c> and <c>edgevisor logs</c> share: the <c>--socket</c> option, where the agent listens
/// when it is not given (as the agent itself reads it: /etc/edgevisor/agent.json, then <c>EDGEVISOR_</c> variables,
/// else <see cref="ControlClient.DefaultSocket"/>), and how a request that got no answer becomes one line on stderr
/// and its exit code.
/// </summary>
internal sealed class AgentSocket
{
    public Option<string?> Option { get; } = new("--socket")
    {
        Description = $"The agent's control socket (default: Agent:ControlSocket of {AgentHost.DefaultConfigFile}, else {ControlClient.DefaultSocket}).",
    };

    public string PathFrom(ParseResult parse) => parse.GetValue(Option) is { Length: > 0 } given ? given : Configured();

    /// <summary>Runs a request, turning a missing agent, a refused socket or a garbled answer into its exit code.</summary>
    public static async Task<int> Guard(string command, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ControlClientException e)
        {
            int code = e.Failure switch
            {
                ControlFailure.NoPermission => ExitCodes.NoPermission,
                ControlFailure.BadReply => ExitCodes.BadReply,
                _ => ExitCodes.NoAgent,
            };
            return Fail(command, code, e.Message);
        }
    }

    public static int Fail(string command, int code, string message)
    {
        Console.Error.WriteLine($"edgevisor {command}: {message}");
        return code;
    }

    /// <summary>An agent answered with an error: its line, and the exit code its status calls for.</summary>
    public static int Refused(string command, ControlReply reply) => Fail(
        command,
        reply.Status switch
        {
            ControlStatus.UnknownWorkload => ExitCodes.UnknownWorkload,
            ControlStatus.BadRequest => ExitCodes.Usage,
            _ => ExitCodes.Failed,
        },
        reply.Error ?? $"the agent answered '{reply.Status}'");

    private static string Configured()
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(AgentHost.DefaultConfigFile, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables(AgentHost.EnvironmentPrefix)
                .Build();
            return configuration[$"{AgentOptions.Section}:{nameof(AgentOptions.ControlSocket)}"] is { Length: > 0 } configured ? configured : ControlClient.DefaultSocket;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            // An unreadable configuration is the agent's problem to report; the default is the best guess here.
            return ControlClient.DefaultSocket;
        }
    }
}
