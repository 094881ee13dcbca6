using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// Debian's mosquitto started with a generated plain (no TLS, anonymous) configuration on a free 127.0.0.1 port,
/// sized for a benchmark fleet: no connection cap and deep per-client queues. Disposing kills it. A system
/// mosquitto on 1883, if any, is not touched.
/// </summary>
internal sealed class MosquittoProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>What mosquitto wrote to stderr so far (errors and warnings only).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static MosquittoProcess Start(string directory)
    {
        const string Executable = "/usr/sbin/mosquitto";
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install mosquitto (the benchmark starts its own broker)");
        }

        int port = FreePort();
        string config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, string.Join('\n',
            $"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "max_connections -1",
            "persistence false",
            "set_tcp_nodelay true",
            "max_queued_messages 100000",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            ""));
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        var broker = new MosquittoProcess(process, port);
        process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        broker.WaitUntilListening(TimeSpan.FromSeconds(10));
        return broker;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private void WaitUntilListening(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        Dispose();
        throw new TimeoutException($"mosquitto did not listen on 127.0.0.1:{Port} within {timeout.TotalSeconds} s: {Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
