using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// <c>edgevisor agent</c> with bad configuration: every problem on its own line naming the key, exit code 78, and
/// nothing created (no state directory, no database).
/// </summary>
public sealed class AgentCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Bad_options_are_listed_one_per_line_with_their_key_exit_78_and_create_nothing()
    {
        string state = Path.Combine(Path.GetTempPath(), "edgevisor-never-" + Guid.NewGuid().ToString("N")[..8], "state");
        var result = await RunAsync(
            "--Agent:DeviceId=bad/id",
            $"--Agent:StateDirectory={state}",
            "--Agent:Broker:Port=70000",
            "--Agent:Broker:UseTls=true",
            "--Agent:Broker:CaFile=/nonexistent/ca.pem",
            "--Agent:TrustedKeys:0=/nonexistent/fleet.pub.pem");

        Assert.Equal(78, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("edgevisor agent: Agent:DeviceId: 'bad/id' is not valid", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("edgevisor agent: Agent:Broker:Port: 70000 is not a port", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "edgevisor agent: Agent:Broker:CaFile: /nonexistent/ca.pem does not exist");
        Assert.Contains(lines, l => l.StartsWith("edgevisor agent: Agent:TrustedKeys:0:", StringComparison.Ordinal) && l.Contains("/nonexistent/fleet.pub.pem", StringComparison.Ordinal));
        Assert.Equal(4, lines.Length);
        Assert.False(Directory.Exists(Path.GetDirectoryName(state)), "the state directory's parent was created");
    }

    [Fact]
    public async Task A_missing_config_file_named_with_config_is_an_error_and_a_misspelt_key_is_named()
    {
        var missing = await RunAsync("--config", "/nonexistent/agent.json");
        Assert.Equal(78, missing.ExitCode);
        Assert.Equal("edgevisor agent: configuration: /nonexistent/agent.json does not exist", missing.Stderr.Trim());

        var misspelt = await RunAsync("--Agent:DeviceId=pi-01", "--Agent:Brokr:Host=broker.local");
        Assert.Equal(78, misspelt.ExitCode);
        Assert.Equal("edgevisor agent: configuration: unknown key Agent:Brokr (check its spelling)", misspelt.Stderr.Trim());

        var notANumber = await RunAsync("--Agent:DeviceId=pi-01", "--Agent:Broker:Port=eighty");
        Assert.Equal(78, notANumber.ExitCode);
        Assert.Contains("'eighty' at 'Agent:Broker:Port'", notANumber.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_explains_how_to_set_any_option_on_the_command_line()
    {
        var help = await RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        string text = ProcessRunner.AsText(help.Stdout);
        Assert.Contains("--Agent:DeviceId=pi-01", text, StringComparison.Ordinal);
        Assert.Contains("EDGEVISOR_Agent__DeviceId", text, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "agent", .. arguments], Path.GetTempPath(), Timeout);
}
