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

    /// <summary>Runs <c>edgevisor run --board board image args…</c>.</summary>
    public static Task<ProcessResult> RunAsync(string board, string image, IReadOnlyList<string> arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");
        return ProcessRunner.RunAsync(
            DotnetHost(),
            [cli, "run", "--board", board, "--timeout", FirmwareTimeout, image, .. arguments],
            Path.GetDirectoryName(image)!,
            ProcessTimeout);
    }

    /// <summary>Runs <c>edgevisor</c> with exactly these arguments (no implied board or timeout).</summary>
    public static Task<ProcessResult> RunRawAsync(IReadOnlyList<string> arguments) =>
        ProcessRunner.RunAsync(
            DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), .. arguments],
            AppContext.BaseDirectory,
            ProcessTimeout);

    /// <summary>The dotnet executable running the tests (the SDK sets DOTNET_HOST_PATH), or dotnet from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
