using System.Diagnostics;
using System.Text;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// A long-running <c>edgevisor</c> process (broker, agent) from the test output folder: its stdout and stderr are
/// collected as they come, a test can wait for a line, and it is stopped with SIGTERM (graceful) or killed on dispose.
/// </summary>
public sealed class EdgevisorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private EdgevisorProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Everything printed so far (stdout and stderr interleaved by arrival).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// A real `edgevisor agent` for device pi-01 in <paramref name="directory"/> (state under it) on
    /// <paramref name="broker"/>, trusting the ops.pub.pem there, with <paramref name="options"/> added.
    /// </summary>
    public static EdgevisorProcess StartAgent(string directory, FleetBrokerProcess broker, params string[] options) => Start(
        directory,
        [
            "agent",
            "--Agent:DeviceId=pi-01",
            $"--Agent:StateDirectory={Path.Combine(directory, "state")}",
            "--Agent:Broker:Host=127.0.0.1",
            $"--Agent:Broker:Port={broker.Port}",
            "--Agent:Broker:Username=pi-01",
            $"--Agent:TrustedKeys:0={Path.Combine(directory, "ops.pub.pem")}",
            .. options,
        ]);

    public static EdgevisorProcess Start(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new EdgevisorProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, line) => process.Record(line.Data);
        process._process.ErrorDataReceived += (_, line) => process.Record(line.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The first line (already printed or still to come) that <paramref name="match"/> accepts; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').FirstOrDefault(match) is { } existing)
            {
                return existing;
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"edgevisor did not print {what} within {timeout.TotalSeconds} s (exited: {_process.HasExited}); output:\n{Output}");
        }
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Terminate(_process.Id);
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
