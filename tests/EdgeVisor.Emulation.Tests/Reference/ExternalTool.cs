using System.Diagnostics;

namespace EdgeVisor.Emulation.Tests.Reference;

/// <summary>Runs a host program (cross toolchain, QEMU) and captures what it printed.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/>; fails the test with an install hint if it is missing.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? stdin = null, int timeoutMs = 30_000)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{program} is not installed ({e.Message}). The reference tests need the Debian packages gcc-arm-none-eabi, " +
                "libnewlib-arm-none-eabi and qemu-system-arm; `dotnet cake --target=Test` installs them when run as root.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeoutMs} ms");
            }

            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
