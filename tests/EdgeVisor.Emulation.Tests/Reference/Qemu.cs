using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVisor.Emulation.Tests.Reference;

/// <summary>qemu-system-arm -M mps2-an385 as the reference for exit codes, console output and image placement.</summary>
internal static partial class Qemu
{
    private const string Program = "qemu-system-arm";

    /// <summary>Runs <paramref name="elf"/> with semihosting until it exits.</summary>
    public static ExternalTool.Result Run(string elf, string semihostingExtra = "") =>
        ExternalTool.Run(Program,
        [
            "-M", "mps2-an385", "-nographic", "-monitor", "none", "-serial", "none",
            "-semihosting-config", "enable=on,target=native" + semihostingExtra,
            "-kernel", elf,
        ]);

    /// <summary>Loads <paramref name="elf"/> without running it and reads <paramref name="count"/> words at <paramref name="address"/> through the monitor.</summary>
    public static uint[] ReadWords(string elf, uint address, int count)
    {
        var result = ExternalTool.Run(Program,
            ["-M", "mps2-an385", "-nographic", "-S", "-serial", "none", "-monitor", "stdio", "-kernel", elf],
            stdin: $"xp /{count}wx 0x{address:x}\nquit\n");
        var words = new List<uint>();
        foreach (Match line in MonitorLine().Matches(result.Stdout))
        {
            foreach (Capture word in line.Groups[2].Captures)
            {
                words.Add(uint.Parse(word.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        Assert.True(words.Count == count, $"unexpected QEMU monitor output:\n{result.Stdout}\n{result.Stderr}");
        return [.. words];
    }

    // "0000000000007efc: 0x00000000 0x00000000 ..." as printed by the monitor's xp command.
    [GeneratedRegex(@"^([0-9a-f]+):(?:\s+0x([0-9a-f]{8}))+", RegexOptions.Multiline)]
    private static partial Regex MonitorLine();
}
