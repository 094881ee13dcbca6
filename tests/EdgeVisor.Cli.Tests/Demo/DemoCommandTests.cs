using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Demo;

/// <summary><c>edgevisor demo</c>, the README's main command, as a user runs it: one process, from any directory.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_runs_the_bundled_firmware_streams_its_console_and_states_and_stops_cleanly()
    {
        string elsewhere = Directory.CreateTempSubdirectory("edgevisor-demo-cwd-").FullName;
        try
        {
            var result = await EdgeVisorCommand.RunInAsync(["demo", "--duration", "6s"], elsewhere);
            string stdout = ProcessRunner.AsText(result.Stdout);
            string described = $"exit {result.ExitCode}\nstdout:\n{stdout}\nstderr:\n{result.Stderr}";

            Assert.True(result.ExitCode == 0, described);
            Assert.Contains("device      demo-01", stdout, StringComparison.Ordinal);
            Assert.Contains("[sensor] sensor-monitor: tick", stdout, StringComparison.Ordinal);
            Assert.Contains("→ running", stdout, StringComparison.Ordinal);
            Assert.Contains("[state] demo-01: offline", stdout, StringComparison.Ordinal);
            Assert.Contains("demo ok: sensor reached running", stdout, StringComparison.Ordinal);

            // Nothing left behind: the temporary directory is gone and the working directory untouched.
            Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
            string kept = stdout.Split('\n').First(line => line.Contains("agent state in", StringComparison.Ordinal));
            string stateDirectory = kept[(kept.IndexOf("agent state in ", StringComparison.Ordinal) + "agent state in ".Length)..].TrimEnd(')');
            Assert.False(Directory.Exists(Path.GetDirectoryName(stateDirectory)), $"{stateDirectory} is still there");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_duration_is_a_usage_error()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["demo", "--duration", "soon"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--duration: 'soon' is not a duration", result.Stderr, StringComparison.Ordinal);
    }
}
