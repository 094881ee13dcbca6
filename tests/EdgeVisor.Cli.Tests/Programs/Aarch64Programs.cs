using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Programs;

/// <summary>
/// The AArch64 Linux test programs in Programs/Sources, built with aarch64-linux-gnu-gcc by their Makefile once per
/// test run (make rebuilds only what changed), in every variant: static -O0/-O2/-O3, dynamic -O2 and static-PIE -O2.
/// </summary>
public static class Aarch64Programs
{
    /// <summary>The sysroot for dynamic programs: Debian's arm64 glibc as the cross toolchain installs it.</summary>
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    public static readonly IReadOnlyList<string> Variants = ["static-O0", "static-O2", "static-O3", "dynamic-O2", "pie-O2"];

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<ProcessResult>> Build = new(RunMakeAsync);

    public static string SourceDirectory => Path.Combine(FirmwareTree.RepositoryRoot, "tests", "EdgeVisor.Cli.Tests", "Programs", "Sources");

    /// <summary>Build output under the test output folder, private to this test project.</summary>
    public static string BuildDirectory => Path.Combine(AppContext.BaseDirectory, "aarch64-programs");

    /// <summary>Names of the programs: one per Sources/*.c.</summary>
    public static IReadOnlyList<string> Names() =>
        [.. Directory.GetFiles(SourceDirectory, "*.c").Select(path => Path.GetFileNameWithoutExtension(path)).Order(StringComparer.Ordinal)];

    /// <summary>The built program <paramref name="name"/> in <paramref name="variant"/>, after building if needed.</summary>
    public static async Task<string> PathOfAsync(string name, string variant)
    {
        ProcessResult result = await Build.Value;
        if (result.ExitCode != 0)
        {
            string why = result.TimedOut ? $"did not finish within {BuildTimeout}" : $"failed with exit code {result.ExitCode}";
            throw new InvalidOperationException(
                $"building the AArch64 test programs {why} (needs make, gcc-aarch64-linux-gnu and libc6-dev-arm64-cross; " +
                $"'dotnet cake --target=Test' installs them on Debian)\n$ {result.CommandLine}\n{ProcessRunner.AsText(result.Stdout)}{result.Stderr}");
        }

        return Path.Combine(BuildDirectory, $"{name}-{variant}");
    }

    private static Task<ProcessResult> RunMakeAsync() =>
        ProcessRunner.RunAsync("make", ["-C", SourceDirectory, $"-j{Environment.ProcessorCount}", $"BUILD={BuildDirectory}", "all"], SourceDirectory, BuildTimeout);
}
