using System.CommandLine;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Cli.Commands;

/// <summary><c>edgevisor boards</c>: the boards EdgeVisor models, with their core, memory and peripherals.</summary>
public static class BoardsCommand
{
    public static Command Create()
    {
        var command = new Command("boards", "List the modelled boards with their core, memory and peripherals.");
        command.SetAction(_ =>
        {
            foreach (var board in BoardCatalog.All)
            {
                Console.Out.Write(Describe(board));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static string Describe(BoardDescription board)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{board.Name}: {board.Description}");
        text.AppendLine($"  core        {board.Cpu.Model} at {board.Cpu.ClockHz / 1e6:0.##} MHz, {board.Cpu.Interrupts} interrupt lines, {board.Cpu.PriorityBits} priority bits");
        foreach (var m in board.Memory)
        {
            string what = m.AliasOf is { } target ? $"alias of 0x{target:X8}" : m.Kind.ToString().ToLowerInvariant();
            text.AppendLine($"  memory      0x{m.Base:X8}  {FormatSize(m.Size),6}  {m.Name} ({what})");
        }

        foreach (var p in board.Peripherals)
        {
            string irqs = p.Interrupts.Count == 0 ? "" : "  irq " + string.Join(", ", p.Interrupts.Select(i => $"{i.Key}={i.Value}"));
            text.AppendLine($"  peripheral  0x{p.Base:X8}  {p.Name} ({p.Type}){irqs}");
        }

        text.AppendLine();
        return text.ToString();
    }

    private static string FormatSize(uint size) =>
        size % (1024 * 1024) == 0 ? $"{size / (1024 * 1024)}M" : size % 1024 == 0 ? $"{size / 1024}K" : $"{size}";
}
