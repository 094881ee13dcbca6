using System.Diagnostics;
using System.Text;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// <c>edgevisor ps</c> and <c>edgevisor logs</c> as processes (the edgevisor.dll next to the tests) against the
/// control socket of a real reconciler running firmware: the table and --json, the tail and --follow, and the exit
/// codes a script can tell apart when no agent answers or the workload does not exist.
/// </summary>
[Collection(ControlAgentCollection.Name)]
public sealed class ControlCliTests(ControlAgentFixture agent)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ps_prints_a_table_of_the_workloads()
    {
        var result = await EdgevisorAsync("ps", "--socket", agent.SocketPath);

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = Encoding.UTF8.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "KIND", "STATE", "SINCE", "RESTARTS", "CPU", "MEM", "PIDS", "ARTIFACT", "REASON"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string sensor = Assert.Single(lines, l => l.StartsWith(ControlAgentFixture.Sensor + " ", StringComparison.Ordinal));
        string[] cells = sensor.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([ControlAgentFixture.Sensor, "firmware", "running"], cells[..3]);
        Assert.Matches(@"^\d+(s|m\d+s)$", cells[3]);
        Assert.StartsWith("sha256:", cells[^1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith(ControlAgentFixture.Hello + " ", StringComparison.Ordinal));

        // Columns line up: every cell of the header starts where the same cell of each row does.
        Assert.Equal(lines[0].IndexOf("STATE", StringComparison.Ordinal), sensor.IndexOf("running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ps_json_prints_the_reported_state_record()
    {
        var result = await EdgevisorAsync("ps", "--json", "--socket", agent.SocketPath);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var state = ProtocolJson.Parse<ReportedState>(result.Stdout.AsSpan().TrimEnd((byte)'\n'));
        Assert.Equal(Reconciliation.ReconcilerHarness.DeviceId, state.DeviceId);
        Assert.Contains(state.Workloads, w => w.Name == ControlAgentFixture.Sensor && w.State == WorkloadState.Running);
    }

    [Fact]
    public async Task Logs_prints_the_last_lines()
    {
        var result = await EdgevisorAsync("logs", ControlAgentFixture.Sensor, "--tail", "3", "--socket", agent.SocketPath);

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = Encoding.UTF8.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.NotNull(ControlAgentFixture.TickOf(l)));
    }

    [Fact]
    public async Task Logs_follow_prints_lines_the_workload_writes_after_the_request()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[Dll, "logs", ControlAgentFixture.Sensor, "--follow", "--tail", "1", "--socket", agent.SocketPath])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start edgevisor");
        var lines = new List<string>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
                if (lines.Count >= 2)
                {
                    second.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await second.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no second line within {Timeout.TotalSeconds} s; printed: {string.Join(" | ", lines)}; stderr: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "(running)")}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // The first line is the tail of one; the next was written after the request arrived.
        Assert.True(ControlAgentFixture.TickOf(lines[1]) > ControlAgentFixture.TickOf(lines[0]), string.Join('\n', lines));
    }

    [Fact]
    public async Task Without_an_agent_ps_and_logs_say_so_in_one_line_with_their_own_exit_code()
    {
        string nowhere = Path.Combine(agent.Directory, "no-agent-" + Guid.NewGuid().ToString("N")[..6] + ".sock");

        var ps = await EdgevisorAsync("ps", "--socket", nowhere);
        var logs = await EdgevisorAsync("logs", ControlAgentFixture.Sensor, "--socket", nowhere);

        Assert.Equal(3, ps.ExitCode);
        Assert.Equal($"edgevisor ps: no agent is answering on {nowhere} (is edgevisor-agent running?)\n", ps.Stderr);
        Assert.Empty(ps.Stdout);
        Assert.Equal(3, logs.ExitCode);
        Assert.Equal($"edgevisor logs: no agent is answering on {nowhere} (is edgevisor-agent running?)\n", logs.Stderr);
    }

    [Fact]
    public async Task Logs_of_an_unknown_workload_says_so_with_its_own_exit_code()
    {
        var result = await EdgevisorAsync("logs", "no-such-workload", "--socket", agent.SocketPath);

        Assert.Equal(67, result.ExitCode);
        Assert.Equal("edgevisor logs: no workload named 'no-such-workload' on this device\n", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");

    private static Task<ProcessResult> EdgevisorAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Dll, .. arguments], AppContext.BaseDirectory, Timeout);
}
