using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// Builds the differential programs with the firmware Makefile (arm-none-eabi-gcc + newlib), once per
/// test run however many test cases ask for it. make only rebuilds what changed, so a warm run costs
/// well under a second.
/// </summary>
public static class FirmwareBuild
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<ProcessResult>> Build = new(RunMakeAsync);

    /// <summary>Builds the programs if that has not happened yet; fails with make's output if the build fails.</summary>
    public static async Task EnsureBuiltAsync()
    {
        ProcessResult result = await Build.Value;
        if (result.ExitCode != 0)
        {
            string why = result.TimedOut ? $"did not finish within {BuildTimeout}" : $"failed with exit code {result.ExitCode}";
            throw new InvalidOperationException(
                $"building the firmware {why} (needs make, gcc-arm-none-eabi and libnewlib-arm-none-eabi; " +
                $"'dotnet cake --target=Test' installs them on Debian)\n$ {result.CommandLine}\n" +
                ProcessRunner.AsText(result.Stdout) + result.Stderr);
        }
    }

    private static Task<ProcessResult> RunMakeAsync() =>
        ProcessRunner.RunAsync(
            "make",
            ["-C", FirmwareTree.SourceDirectory, $"-j{Environment.ProcessorCount}", $"BUILD={FirmwareTree.BuildDirectory}", "diff"],
            FirmwareTree.SourceDirectory,
            BuildTimeout);
}
