using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// Runs <c>edgevisor run</c> from the build output next to the tests (the test project references the
/// CLI, so <c>edgevisor.dll</c> is copied here) under the same dotnet host that runs the tests.
/// </summary>
public static class EdgeVisorCommand
{
    /// <summary>The <c>--timeout</c> given to edgevisor; a run that needs longer is a failure.</summary>
    public const string FirmwareTimeout = "20s";

    /// <summary>Backstop for a CLI that ignores its own timeout.</summary>
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>edgevisor run --board board image args…</c> in the image's folder, naming the image by its file
    /// name: argv[0] is the path as typed, and the QEMU reference is given the same name.
    /// </summary>
    public static Task<ProcessResult> RunAsync(string board, string image, IReadOnlyList<string> arguments) =>
        Run(["run", "--board", board, "--timeout", FirmwareTimeout, Path.GetFileName(image), .. arguments], Path.GetDirectoryName(image)!);

    /// <summary>Runs <c>edgevisor</c> with exactly these arguments (no implied board or timeout).</summary>
    public static Task<ProcessResult> RunRawAsync(IReadOnlyList<string> arguments) => Run(arguments, AppContext.BaseDirectory);

    /// <summary>Runs <c>edgevisor</c> with these arguments in <paramref name="workingDirectory"/>.</summary>
    public static Task<ProcessResult> RunInAsync(IReadOnlyList<string> arguments, string workingDirectory, string? standardInput = null) =>
        ProcessRunner.RunAsync(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), .. arguments], workingDirectory, ProcessTimeout, standardInput);

    /// <summary>Runs <c>edgevisor</c> in <paramref name="workingDirectory"/> with these environment variables (NAME=value) set for it.</summary>
    public static Task<ProcessResult> RunInWithAsync(IReadOnlyList<string> environment, IReadOnlyList<string> arguments, string workingDirectory) =>
        ProcessRunner.RunAsync("env", [.. environment, DotnetHost(), Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), .. arguments], workingDirectory, ProcessTimeout);

    private static Task<ProcessResult> Run(IReadOnlyList<string> arguments, string workingDirectory) =>
        ProcessRunner.RunAsync(
            DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), .. arguments],
            workingDirectory,
            ProcessTimeout);

    /// <summary>The dotnet executable running the tests (the SDK sets DOTNET_HOST_PATH), or dotnet from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
