using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Linux.Tests.Processes;

/// <summary>
/// Runs guest programs under the built edgevisor CLI and under qemu-aarch64 (the reference). The CLI is found next
/// to this test project in the same configuration (src/EdgeVisor.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/edgevisor.dll):
/// fork and exec need a real edgevisor executable, which a test host is not.
/// </summary>
internal static class EdgeVisorRunner
{
    public const string Sysroot = Loading.GuestPrograms.Sysroot;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Path of edgevisor.dll; a clear failure names where it was looked for.</summary>
    public static string CliAssembly
    {
        get
        {
            // BaseDirectory = <repo>/tests/EdgeVisor.Emulation.Linux.Tests/bin/<configuration>/<tfm>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            string tfm = output.Name;
            string configuration = output.Parent!.Name;
            string repository = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            string path = Path.Combine(repository, "src", "EdgeVisor.Cli", "bin", configuration, tfm, "edgevisor.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build src/EdgeVisor.Cli ({configuration}) before these tests");
            return path;
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary><c>edgevisor exec -L sysroot program args…</c>.</summary>
    public static Task<ProcessResult> EdgeVisorAsync(string program, IReadOnlyList<string> arguments, string? standardInput = null) =>
        ProcessRunner.RunAsync(DotnetHost(), [CliAssembly, "exec", "-L", Sysroot, program, .. arguments], Path.GetDirectoryName(program)!, Timeout, standardInput);

    /// <summary><c>qemu-aarch64 -L sysroot program args…</c>.</summary>
    public static Task<ProcessResult> QemuAsync(string program, IReadOnlyList<string> arguments, string? standardInput = null) =>
        ProcessRunner.RunAsync("qemu-aarch64", ["-L", Sysroot, program, .. arguments], Path.GetDirectoryName(program)!, Timeout, standardInput);

    /// <summary>Text of stdout for messages.</summary>
    public static string Text(ProcessResult result) => System.Text.Encoding.UTF8.GetString(result.Stdout);
}
