using System.Diagnostics;
using System.Text;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// A real <c>edgevisor fleet broker</c> process on a free loopback port (<c>--port 0</c>, the chosen port read
/// from its first line), optionally with a data directory; stopped with SIGTERM, killed on dispose.
/// </summary>
public sealed class FleetBrokerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FleetBrokerProcess(Process process)
    {
        _process = process;
    }

    public int Port => _port.Task.Result;

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Everything the broker printed (stdout and stderr), for assertions and failure messages.</summary>
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

    public static async Task<FleetBrokerProcess> StartAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "fleet", "broker", "--port", "0" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var broker = new FleetBrokerProcess(Process.Start(start)!);
        broker._process.OutputDataReceived += (_, line) => broker.Record(line.Data);
        broker._process.ErrorDataReceived += (_, line) => broker.Record(line.Data);
        broker._process.BeginOutputReadLine();
        broker._process.BeginErrorReadLine();
        try
        {
            await broker._port.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            broker.Dispose();
            throw new InvalidOperationException($"fleet broker did not say where it listens within 30 s; output:\n{broker.Output}");
        }

        return broker;
    }

    /// <summary>SIGTERM, then the exit code (the broker writes its retained messages before it exits).</summary>
    public async Task<int> StopAsync()
    {
        ProcessSignals.Terminate(_process.Id);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
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
            _output.AppendLine(line);
        }

        const string Marker = "listening on 127.0.0.1:";
        int at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0 && int.TryParse(line.AsSpan(at + Marker.Length), out int port))
        {
            _port.TrySetResult(port);
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
