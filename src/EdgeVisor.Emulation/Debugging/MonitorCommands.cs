using System.Text;

namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// The "monitor ..." commands (qRcmd). A command that changes the machine leaves it halted, because
/// an all-stop gdb believes the target is stopped while it waits for the command's answer.
/// </summary>
public sealed class MonitorCommands
{
    private readonly IDebugTarget _target;

    public MonitorCommands(IDebugTarget target) => _target = target;

    /// <summary>Raised after "monitor reset": the machine is halted at its reset vector.</summary>
    public event Action? MachineReset;

    /// <summary>Runs <paramref name="commandLine"/> and returns the text to show the user (ends with a newline).</summary>
    public string Execute(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return Help();
        }

        return (words[0].ToLowerInvariant(), words.Length > 1 ? words[1].ToLowerInvariant() : null) switch
        {
            ("help", _) => Help(),
            ("reset", null or "halt" or "init") => Reset(),
            ("halt", null) => "the machine is halted\n",
            ("state" or "registers", null) => _target.DescribeState().TrimEnd('\n') + "\n",
            _ => $"unknown monitor command '{commandLine.Trim()}'; 'monitor help' lists the commands\n",
        };
    }

    private string Reset()
    {
        _target.Reset();
        MachineReset?.Invoke();
        return "machine reset; halted at the reset vector\n";
    }

    private static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("EdgeVisor monitor commands:");
        text.AppendLine("  monitor reset [halt]   reset core and devices; stays halted at the reset vector (continue to run)");
        text.AppendLine("  monitor halt           nothing to do: the machine is halted whenever gdb has the prompt");
        text.AppendLine("  monitor state          registers and fault status in one block");
        text.AppendLine("  monitor help           this list");
        return text.ToString();
    }
}
