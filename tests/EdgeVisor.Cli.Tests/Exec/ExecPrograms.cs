using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Exec;

/// <summary>
/// AArch64 Linux programs for the <c>edgevisor exec</c> tests, compiled from C with aarch64-linux-gnu-gcc into a
/// cache directory (one build per source and flags), and the reference run of each under qemu-aarch64.
/// </summary>
internal static class ExecPrograms
{
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    private static readonly string CacheDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-exec-programs");
    private static readonly Lock BuildLock = new();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Compiles C <paramref name="source"/> with <paramref name="flags"/>; returns the executable's path.</summary>
    public static string Build(string name, string source, string flags)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(flags + "\n" + source)))[..16];
        string directory = Path.Combine(CacheDirectory, key);
        string output = Path.Combine(directory, name);
        lock (BuildLock)
        {
            if (!File.Exists(output))
            {
                Directory.CreateDirectory(directory);
                string sourcePath = Path.Combine(directory, name + ".c");
                File.WriteAllText(sourcePath, source);
                var result = ProcessRunner.Run("aarch64-linux-gnu-gcc",
                    [.. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", output + ".tmp", sourcePath], directory, TimeSpan.FromMinutes(2));
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{result.CommandLine} failed:\n{result.Stderr}");
                }

                File.Move(output + ".tmp", output);
            }
        }

        return output;
    }

    /// <summary>Runs <paramref name="program"/> under qemu-aarch64 with the cross sysroot: the reference output and exit code.</summary>
    public static Task<ProcessResult> QemuAsync(string program, IReadOnlyList<string> arguments, string? standardInput = null) =>
        ProcessRunner.RunAsync("qemu-aarch64", ["-L", Sysroot, program, .. arguments], Path.GetDirectoryName(program)!, Timeout, standardInput);

    /// <summary>Runs <c>edgevisor exec [options] program args…</c>.</summary>
    public static Task<ProcessResult> EdgeVisorAsync(IReadOnlyList<string> options, string program, IReadOnlyList<string> arguments, string? standardInput = null) =>
        ProcessRunner.RunAsync(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "exec", .. options, program, .. arguments],
            Path.GetDirectoryName(program)!, Timeout, standardInput);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
