using System.Diagnostics;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// One real <c>edgevisor agent</c> process: <c>dotnet &lt;test output&gt;/edgevisor.dll agent --config FILE</c> plus
/// extra <c>--Agent:Key=value</c> arguments. Its stdout and stderr go to files in the device's directory, quoted by
/// <see cref="Describe"/> in failure messages. <see cref="Kill"/> is SIGKILL (what a crash test wants),
/// <see cref="StopAsync"/> SIGTERM (a graceful stop, as systemd does it).
/// </summary>
public sealed class AgentProcess : IDisposable
{
    /// <summary>The exit code .NET reports for a process killed by SIGKILL (128 + 9).</summary>
    public const int KilledExitCode = 137;

    private readonly Process _process;
    private readonly Task _copyOut;
    private readonly Task _copyErr;
    private bool _disposed;

    private AgentProcess(Process process, string stdoutFile, string stderrFile, string commandLine)
    {
        _process = process;
        StdoutFile = stdoutFile;
        StderrFile = stderrFile;
        CommandLine = commandLine;
        _copyOut = CopyAsync(process.StandardOutput.BaseStream, stdoutFile);
        _copyErr = CopyAsync(process.StandardError.BaseStream, stderrFile);
    }

    public string StdoutFile { get; }

    public string StderrFile { get; }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the test build put edgevisor.dll (the Agent.Tests project references the CLI).</summary>
    public static string EdgevisorDll => Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");

    /// <summary>Starts the agent with <paramref name="configFile"/>; <paramref name="outputPrefix"/> names its output files.</summary>
    public static AgentProcess Start(string configFile, string outputPrefix, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(configFile)!,
        };
        string[] arguments = [EdgevisorDll, "agent", "--config", configFile, .. extraArguments];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // What the systemd unit sets; it also keeps a test machine with many agents calm.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dotnet}");
        process.StandardInput.Close();
        return new AgentProcess(process, outputPrefix + ".stdout.log", outputPrefix + ".stderr.log", string.Join(' ', [dotnet, .. arguments]));
    }

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM (graceful stop) and the exit code, or null if it did not exit within <paramref name="timeout"/> (then it is killed).</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Terminate(_process.Id);
        }

        return await WaitForExitAsync(timeout) ?? KillAndReturnNull();
    }

    /// <summary>The exit code once the process has exited, or null if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        await Task.WhenAll(_copyOut, _copyErr);
        return _process.ExitCode;
    }

    /// <summary>The command line, the exit state and the tails of stdout and stderr, for failure messages.</summary>
    public string Describe()
    {
        string state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"agent process {_process.Id} ({state}): {CommandLine}\n--- stdout (tail) ---\n{Tail(StdoutFile)}\n--- stderr (tail) ---\n{Tail(StderrFile)}";
    }

    /// <summary>Kills the process if it still runs; safe to call more than once (the device disposes every process it started).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private int? KillAndReturnNull()
    {
        Kill();
        return null;
    }

    private static async Task CopyAsync(Stream source, string file)
    {
        await using var target = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        byte[] buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read));
            await target.FlushAsync(); // a failure message quotes the file while the agent still runs
        }
    }

    private static string Tail(string file, int characters = 6000)
    {
        if (!File.Exists(file))
        {
            return "(none)";
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        return text.Length > characters ? "…" + text[^characters..] : text;
    }
}
