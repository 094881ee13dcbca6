using System.Diagnostics;
using System.Text;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// A real <c>edgevisor agent</c> process (the edgevisor.dll next to the tests) with its output collected. With
/// <c>underSystemd</c> it is started by a shell named <c>systemd</c> (a symlink to bash), because .NET's
/// <c>UseSystemd</c> only switches on when the parent process is called systemd; that shell forwards SIGTERM to
/// the agent, as systemd would send it.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    private const string ForwardingScript =
        "\"$@\" & child=$!\n" +
        "trap 'kill -TERM $child' TERM\n" +
        "wait $child; rc=$?\n" +
        "if [ $rc -gt 128 ] && kill -0 $child 2>/dev/null; then wait $child; rc=$?; fi\n" +
        "exit $rc\n";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _wrapperDirectory;

    public AgentProcess(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, bool underSystemd = false)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");
        ProcessStartInfo start;
        if (underSystemd)
        {
            _wrapperDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-fake-systemd-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_wrapperDirectory);
            string systemd = Path.Combine(_wrapperDirectory, "systemd");
            File.CreateSymbolicLink(systemd, "/bin/bash");
            start = new ProcessStartInfo(systemd);
            foreach (string argument in (string[])["-c", ForwardingScript, "systemd", "dotnet", dll, "agent", .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start = new ProcessStartInfo("dotnet");
            foreach (string argument in (string[])[dll, "agent", .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>What the agent printed so far (log lines and stderr).</summary>
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

    /// <summary>Waits for the process to end; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the agent did not exit within {timeout.TotalSeconds} s; it printed:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
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
        if (_wrapperDirectory is not null)
        {
            Directory.Delete(_wrapperDirectory, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
