using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Tests.Reference;

/// <summary>Runs a host program (cross toolchain, QEMU) and captures what it printed.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/>; fails the test with an install hint if it is missing.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? stdin = null, int timeoutMs = 30_000)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(program, [.. arguments], Environment.CurrentDirectory, TimeSpan.FromMilliseconds(timeoutMs), stdin);
        }
        catch (InvalidOperationException e) when (e.InnerException is System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException(
                $"{program} is not installed ({missing.Message}). The reference tests need the Debian packages gcc-arm-none-eabi, " +
                "libnewlib-arm-none-eabi and qemu-system-arm; `dotnet cake --target=Test` installs them when run as root.", e);
        }

        if (result.ExitCode is not { } exitCode)
        {
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeoutMs} ms");
        }

        return new Result(exitCode, ProcessRunner.AsText(result.Stdout), result.Stderr);
    }
}
