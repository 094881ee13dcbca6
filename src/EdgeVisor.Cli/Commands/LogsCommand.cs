using System.CommandLine;
using EdgeVisor.Agent.Control;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor logs WORKLOAD [--tail N] [--follow] [--socket PATH]</c>: a workload's console as the agent on this
/// device keeps it — the last lines, then, with <c>--follow</c>, new lines as the workload writes them until Ctrl-C.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var socket = new AgentSocket();
        var workload = new Argument<string>("workload") { Description = "The workload's name (as `edgevisor ps` lists it)." };
        var tail = new Option<int>("--tail", "-n")
        {
            Description = $"How many of the last lines to print first (0 to {ControlCommands.MaxTail}).",
            DefaultValueFactory = _ => ControlCommands.DefaultTail,
        };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as the workload writes them, until Ctrl-C." };
        var command = new Command("logs", "Print a workload's console output (asks the agent's control socket; root only).") { workload, tail, follow, socket.Option };
        command.SetAction((parse, cancellation) => AgentSocket.Guard("logs", async () =>
        {
            int lines = parse.GetValue(tail);
            if (lines is < 0 or > ControlCommands.MaxTail)
            {
                return AgentSocket.Fail("logs", ExitCodes.Usage, $"--tail {lines} is not between 0 and {ControlCommands.MaxTail}");
            }

            bool following = parse.GetValue(follow);
            var request = new ControlRequest { Command = ControlCommands.Logs, Workload = parse.GetValue(workload), Tail = lines, Follow = following };
            using var client = await ControlClient.SendAsync(socket.PathFrom(parse), request, cancellation);
            if (client.Reply.Status != ControlStatus.Ok)
            {
                return AgentSocket.Refused("logs", client.Reply);
            }

            try
            {
                while (await client.ReadLineAsync(cancellation) is { } line)
                {
                    Console.Out.WriteLine(line);
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl-C ends a follow: that is how it is meant to end.
                return ExitCodes.Success;
            }

            // Without --follow the agent closes after the tail; with it, only when the agent stops.
            return following ? AgentSocket.Fail("logs", ExitCodes.NoAgent, "the agent closed the connection (it is stopping)") : ExitCodes.Success;
        }));
        return command;
    }
}
