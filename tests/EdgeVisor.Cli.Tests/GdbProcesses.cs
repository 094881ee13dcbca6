using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Cli.Tests;

/// <summary>A started process whose output is collected; killed (with its children) on dispose if still running.</summary>
internal sealed class GdbTestProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public GdbTestProcess(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // no terminal: the firmware's console input is empty
        };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CommandLine = $"{fileName} {string.Join(' ', arguments)}";
    }

    public string CommandLine { get; }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGINT (what Ctrl-C in a terminal does) to this process only.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    /// <summary>Waits for the exit and returns the exit code; fails the test if it does not come.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(_process.WaitForExit(timeout), $"{CommandLine} did not exit within {timeout}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>Waits until standard error contains <paramref name="text"/>.</summary>
    public void WaitForStderr(string text, TimeSpan timeout) => WaitFor(() => Stderr, "stderr", text, timeout);

    /// <summary>Waits until standard output contains <paramref name="text"/>.</summary>
    public void WaitForStdout(string text, TimeSpan timeout) => WaitFor(() => Stdout, "stdout", text, timeout);

    private void WaitFor(Func<string> output, string name, string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!output().Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"{CommandLine} exited early with {(_process.HasExited ? _process.ExitCode : 0)}\n{Stdout}\n{Stderr}");
            Assert.True(deadline.Elapsed < timeout, $"{CommandLine}: no '{text}' on {name} within {timeout}\n{output()}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }
    }
}

/// <summary>Starts the things the gdb tests talk to: edgevisor with --gdb, qemu-system-arm with -gdb, gdb-multiarch in batch mode.</summary>
internal static class GdbProcesses
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary><c>edgevisor run --board B elf --gdb PORT [--wait]</c>, returned once the server listens.</summary>
    public static GdbTestProcess StartEdgeVisor(string board, string elf, int port, bool wait)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");
        var arguments = new List<string> { cli, "run", "--board", board, elf, "--gdb", port.ToString(CultureInfo.InvariantCulture) };
        if (wait)
        {
            arguments.Add("--wait");
        }

        var process = new GdbTestProcess("dotnet", arguments);
        process.WaitForStderr($"gdb server on 127.0.0.1:{port}", Timeout);
        return process;
    }

    /// <summary>qemu-system-arm halted at reset (-S) with its gdb stub on <paramref name="port"/>, returned once it listens.</summary>
    public static GdbTestProcess StartQemu(string board, string elf, int port)
    {
        var process = new GdbTestProcess("qemu-system-arm",
        [
            "-M", board, "-nographic", "-monitor", "none", "-serial", "null",
            "-semihosting-config", "enable=on,target=native", "-kernel", elf, "-S", "-gdb", $"tcp:127.0.0.1:{port}",
        ]);

        // Probing with a connection would use up QEMU's debugger connection; look for the listening socket instead.
        var deadline = Stopwatch.StartNew();
        while (!IsListening(port))
        {
            Assert.False(process.HasExited, $"qemu-system-arm exited early\n{process.Stderr}");
            Assert.True(deadline.Elapsed < Timeout, "qemu-system-arm did not open its gdb port");
            Thread.Sleep(20);
        }

        return process;
    }

    /// <summary>Runs gdb-multiarch -batch with one -ex per command against <paramref name="elf"/>; returns stdout+stderr.</summary>
    public static string RunGdb(string elf, int port, params string[] commands)
    {
        using var gdb = StartGdb(elf, port, commands);
        gdb.WaitForExit(Timeout);
        return gdb.Stdout + gdb.Stderr;
    }

    /// <summary>Starts gdb-multiarch -batch with one -ex per command against <paramref name="elf"/>.</summary>
    public static GdbTestProcess StartGdb(string elf, int port, params string[] commands)
    {
        var arguments = new List<string> { "-batch", "-nx", "-ex", "set confirm off", "-ex", $"target remote 127.0.0.1:{port}" };
        foreach (var command in commands)
        {
            arguments.Add("-ex");
            arguments.Add(command);
        }

        arguments.Add(elf);
        return new GdbTestProcess("gdb-multiarch", arguments);
    }

    private static bool IsListening(int port)
    {
        string local = $":{port:X4} ";
        return File.ReadLines("/proc/net/tcp").Skip(1).Any(line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 3 && (fields[1] + " ").EndsWith(local, StringComparison.Ordinal) && fields[3] == "0A";
        });
    }
}
