using System.Text;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// Compares EdgeVisor's run of a firmware image with QEMU's and, when they differ, writes a message a
/// person can act on: the exit codes, the first differing line with a few lines of context (control
/// characters made visible), EdgeVisor's stderr, and both command lines.
/// </summary>
public static class OutputComparison
{
    private const int ContextLines = 3;
    private const int MaxStderrChars = 2000;

    /// <summary>Returns null when stdout bytes and exit code are equal, otherwise the explanation.</summary>
    public static string? Explain(ProcessResult qemu, ProcessResult edgeVisor)
    {
        bool sameOutput = qemu.Stdout.AsSpan().SequenceEqual(edgeVisor.Stdout);
        bool sameExit = qemu.ExitCode == edgeVisor.ExitCode;
        if (sameOutput && sameExit)
        {
            return null;
        }

        var message = new StringBuilder();
        if (!sameExit)
        {
            message.AppendLine($"exit code: qemu {Describe(qemu.ExitCode)}, edgevisor {Describe(edgeVisor.ExitCode)}");
        }

        if (!sameOutput)
        {
            AppendFirstDifference(message, qemu.Stdout, edgeVisor.Stdout);
        }

        if (edgeVisor.Stderr.Length > 0)
        {
            string stderr = edgeVisor.Stderr.Length > MaxStderrChars ? edgeVisor.Stderr[..MaxStderrChars] + "…" : edgeVisor.Stderr;
            message.AppendLine("edgevisor stderr:").AppendLine(stderr.TrimEnd());
        }

        message.AppendLine($"reproduce: {qemu.CommandLine}   ({Seconds(qemu.Elapsed)})");
        message.AppendLine($"      and: {edgeVisor.CommandLine}   ({Seconds(edgeVisor.Elapsed)})");
        return message.ToString();
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0 s", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(int? exitCode) => exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (killed at timeout)";

    private static void AppendFirstDifference(StringBuilder message, byte[] expected, byte[] actual)
    {
        string[] expectedLines = SplitLines(expected);
        string[] actualLines = SplitLines(actual);
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        message.AppendLine($"stdout differs at line {line + 1} (qemu wrote {expected.Length} bytes in {expectedLines.Length} lines, edgevisor {actual.Length} bytes in {actualLines.Length} lines):");
        for (int i = Math.Max(0, line - ContextLines); i < line; i++)
        {
            message.AppendLine($"    {i + 1,4}   {Visible(expectedLines[i])}");
        }

        for (int i = line; i < Math.Min(expectedLines.Length, line + ContextLines); i++)
        {
            message.AppendLine($"  - {i + 1,4}   {Visible(expectedLines[i])}");
        }

        if (line >= expectedLines.Length)
        {
            message.AppendLine("  -        (qemu output ends here)");
        }

        for (int i = line; i < Math.Min(actualLines.Length, line + ContextLines); i++)
        {
            message.AppendLine($"  + {i + 1,4}   {Visible(actualLines[i])}");
        }

        if (line >= actualLines.Length)
        {
            message.AppendLine("  +        (edgevisor output ends here)");
        }

        message.AppendLine("  (- qemu, + edgevisor)");
    }

    /// <summary>Splits after each '\n', keeping it, so a missing final newline shows as a difference.</summary>
    private static string[] SplitLines(byte[] bytes)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(Encoding.Latin1.GetString(bytes, start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            lines.Add(Encoding.Latin1.GetString(bytes, start, bytes.Length - start));
        }

        return [.. lines];
    }

    private static string Visible(string line)
    {
        var text = new StringBuilder(line.Length);
        foreach (char c in line)
        {
            text.Append(c switch
            {
                '\n' => "⏎",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or > '~' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
