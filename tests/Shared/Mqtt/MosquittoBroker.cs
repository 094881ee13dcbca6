using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Testing.Mqtt;

/// <summary>
/// Debian's real mosquitto, started by a test on a free 127.0.0.1 port from a configuration GENERATED FROM the
/// shipped provisioning/mosquitto/edgevisor.conf: only the listener, the certificate/ACL/persistence paths and the
/// log destination are substituted, so TLS tests exercise the configuration and ACL that ship.
/// <list type="bullet">
/// <item><see cref="StartTls"/>: mutual TLS with a <see cref="TestCa"/>, identity = certificate CN, the shipped ACL.</item>
/// <item><see cref="StartPlain"/>: no TLS, anonymous allowed; optionally the shipped ACL with the MQTT username as identity.</item>
/// </list>
/// <see cref="Stop"/> (SIGTERM: mosquitto saves retained messages and sessions) and <see cref="Start"/> again reuse
/// the same port and persistence directory, for broker-restart tests. Dispose kills it and deletes its files.
/// Every instance has its own port and directory, so parallel test classes do not meet.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    /// <summary>Where Debian installs the broker.</summary>
    public const string Executable = "/usr/sbin/mosquitto";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    private MosquittoBroker(string directory, bool tls, bool acl, TestCa? ca)
    {
        Directory = directory;
        UsesTls = tls;
        UsesAcl = acl;
        Ca = ca;
    }

    /// <summary>Always the IPv4 loopback address (the broker certificate's SAN includes IP:127.0.0.1).</summary>
    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    public bool UsesTls { get; }

    /// <summary>True when the shipped ACL is in force (always with TLS).</summary>
    public bool UsesAcl { get; }

    /// <summary>The CA whose certificates the broker presents and accepts (TLS mode only).</summary>
    public TestCa? Ca { get; }

    /// <summary>This instance's temporary directory: generated configuration, persistence, log.</summary>
    public string Directory { get; }

    public string ConfigFile => Path.Combine(Directory, "mosquitto.conf");

    public string PersistenceDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "mosquitto.log");

    /// <summary>True between a successful start and <see cref="Stop"/>/<see cref="Kill"/> (or the process dying).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Mutual TLS with <paramref name="ca"/>'s broker certificate, identity = client certificate CN, the shipped ACL.</summary>
    public static MosquittoBroker StartTls(TestCa ca) => Launch(tls: true, acl: true, ca);

    /// <summary>Plain MQTT, anonymous clients allowed; with <paramref name="acl"/> the shipped ACL applies to the MQTT username.</summary>
    public static MosquittoBroker StartPlain(bool acl = false) => Launch(tls: false, acl, ca: null);

    private static MosquittoBroker Launch(bool tls, bool acl, TestCa? ca)
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var broker = new MosquittoBroker(directory, tls, acl, ca);
        try
        {
            // A free port can be taken by someone else between probing and mosquitto binding it: try a few.
            for (int attempt = 1; ; attempt++)
            {
                broker.Port = LoopbackPorts.Free();
                broker.WriteConfig();
                if (broker.TryStart(out string failure))
                {
                    return broker;
                }

                if (attempt == 3 || !failure.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(failure);
                }
            }
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>Starts the broker again after <see cref="Stop"/> or <see cref="Kill"/>: same port, configuration and persistence.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"mosquitto on port {Port} is already running");
        }

        if (!TryStart(out string failure))
        {
            throw new InvalidOperationException(failure);
        }
    }

    /// <summary>Graceful stop (SIGTERM): mosquitto writes its persistence file (retained messages, sessions) and exits.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        ProcessSignals.Terminate(_process.Id);
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
            _process.WaitForExit();
            throw new InvalidOperationException($"mosquitto on port {Port} ignored SIGTERM for 10 s and was killed.\n{Describe()}");
        }
    }

    /// <summary>SIGKILL: the broker dies without saving anything since its last autosave.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>The broker's log so far (and what it wrote to stderr), for failure messages.</summary>
    public string Describe()
    {
        string log = File.Exists(LogFile) ? ReadShared(LogFile) : "(no log file)";
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        const int Tail = 8000;
        if (log.Length > Tail)
        {
            log = "…" + log[^Tail..];
        }

        return $"mosquitto {(UsesTls ? "TLS+ACL" : UsesAcl ? "plain+ACL" : "plain")} on {Host}:{Port}, config {ConfigFile}\n--- log ---\n{log}" +
            (stderr.Length > 0 ? $"\n--- stderr ---\n{stderr}" : "");
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // nothing was created
        }
    }

    private bool TryStart(out string failure)
    {
        _process?.Dispose();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigFile);
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {Executable} (apt-get install -y mosquitto): {e.Message}", e);
        }

        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output
                failure = $"mosquitto exited with {_process.ExitCode} while starting.\n{Describe()}";
                return false;
            }

            if (Accepts())
            {
                failure = "";
                return true;
            }

            Thread.Sleep(20);
        }

        Kill();
        failure = $"mosquitto did not accept connections on {Host}:{Port} within {StartTimeout.TotalSeconds} s.\n{Describe()}";
        return false;
    }

    private bool Accepts()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }
    }

    private void WriteConfig() => File.WriteAllText(ConfigFile, MosquittoConfig.Generate(
        File.ReadAllLines(ProvisioningFiles.MosquittoConfig),
        new MosquittoConfig.Substitutions(Port, UsesTls, UsesAcl, Ca, ProvisioningFiles.MosquittoAcl, PersistenceDirectory, LogFile)));

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
