using System.CommandLine;
using EdgeVisor.Cli;
using EdgeVisor.Cli.Commands;

var root = new RootCommand("EdgeVisor: run firmware and workloads on emulated and real ARM hardware.")
{
    RunCommand.Create(),
    BoardsCommand.Create(),
    ExecCommand.Create(),
    FleetCommand.Create(),
    AgentCommand.Create(),
    PsCommand.Create(),
    LogsCommand.Create(),
    DemoCommand.Create(),
};

var parsed = root.Parse(ExecCommand.SeparateGuestArguments(args));
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"edgevisor: {error.Message}");
    }

    Console.Error.WriteLine("Try 'edgevisor --help'.");
    return ExitCodes.Usage;
}

return parsed.Invoke();
