using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// Drives an OCI runtime (runc, or crun: they share the CLI) through its command line, with its state under
/// <see cref="Root"/>. Each command writes the runtime's log as JSON to a file of its own, so a failure is reported
/// in the runtime's own words ("runc create ev-web: …"), and each has a timeout: a hung runtime must not hang the agent.
/// </summary>
public sealed class OciRuntime
{
    /// <summary>How long any command but <c>create</c> may take.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary><c>create</c> sets up namespaces, mounts and cgroups; slow SD cards make it the slowest command.</summary>
    public static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);

    private const int ExecOutputLimit = 4096;

    private readonly string _runtime;
    private readonly string _logDirectory;
    private string? _binary;

    /// <param name="runtime">A path or a name looked up on PATH (<see cref="ContainerOptions.Runtime"/>).</param>
    /// <param name="root">The runtime's state directory (<c>--root</c>, <see cref="ContainerOptions.RuntimeRoot"/>).</param>
    public OciRuntime(string runtime, string root)
    {
        _runtime = runtime;
        Root = Path.GetFullPath(root);
        _logDirectory = Root.TrimEnd('/') + ".logs";
    }

    /// <summary>The runtime's state directory: every container in it is ours.</summary>
    public string Root { get; }

    /// <summary>The name used in messages (<c>runc</c>).</summary>
    public string Name => Path.GetFileName(_runtime);

    /// <summary>The runtime binary: <paramref name="runtime"/> itself when it is a path, else the first match on PATH; null when there is none.</summary>
    public static string? Find(string runtime)
    {
        if (string.IsNullOrWhiteSpace(runtime))
        {
            return null;
        }

        if (runtime.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(runtime) ? Path.GetFullPath(runtime) : null;
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, runtime))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// <c>create</c>: sets the container up from <paramref name="bundle"/> (its init waits for <see cref="StartAsync"/>)
    /// and writes the init's pid to <paramref name="pidFile"/>. The container's stdin is empty; its stdout and stderr
    /// are the returned pipes.
    /// </summary>
    public async Task<ContainerPipes> CreateAsync(string id, string bundle, string pidFile, CancellationToken cancellation)
    {
        using var log = new CommandLog(_logDirectory);
        var process = Launch(log.Path, ["create", "--bundle", bundle, "--pid-file", pidFile, id]);
        process.StandardInput.Close();
        int? exitCode;
        try
        {
            exitCode = await ToolProcess.WaitAsync(process, CreateTimeout, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Dispose();
            await TryAsync(() => DeleteAsync(id, force: true, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }

        if (exitCode == 0)
        {
            return new ContainerPipes(process);
        }

        process.Dispose();
        if (exitCode is null)
        {
            // The half-made container must not stay behind.
            await TryAsync(() => DeleteAsync(id, force: true, CancellationToken.None)).ConfigureAwait(false);
            throw new OciRuntimeException($"{Name} create {id}: timed out after {CreateTimeout.TotalSeconds:0} s");
        }

        throw new OciRuntimeException($"{Name} create {id}: {Unprefixed(log.Error(), "create") ?? $"exit code {exitCode}"}");
    }

    /// <summary><c>start</c>: runs the created container's process.</summary>
    public Task StartAsync(string id, CancellationToken cancellation) => RunAsync(["start", id], cancellation);

    /// <summary><c>state</c>: the container's status and init pid; null when there is no such container.</summary>
    public async Task<ContainerState?> StateAsync(string id, CancellationToken cancellation)
    {
        try
        {
            string json = await RunAsync(["state", id], cancellation).ConfigureAwait(false);
            return JsonSerializer.Deserialize<ContainerState>(json);
        }
        catch (OciRuntimeException) when (!Directory.Exists(Path.Combine(Root, id)))
        {
            return null;
        }
    }

    /// <summary><c>list</c>: every container under <see cref="Root"/>.</summary>
    public async Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellation)
    {
        string json = await RunAsync(["list", "--format", "json"], cancellation).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<ContainerState>>(json) ?? [];
    }

    /// <summary><c>kill</c>: sends <paramref name="signal"/> to the init, or with <paramref name="all"/> to every process of the container.</summary>
    public Task KillAsync(string id, string signal, bool all, CancellationToken cancellation) =>
        RunAsync(all ? ["kill", "--all", id, signal] : ["kill", id, signal], cancellation);

    /// <summary><c>delete</c>: removes a stopped container (with <paramref name="force"/>, kills a running one first).</summary>
    public Task DeleteAsync(string id, bool force, CancellationToken cancellation) =>
        RunAsync(force ? ["delete", "--force", id] : ["delete", id], cancellation);

    /// <summary>
    /// <c>exec</c>: runs <paramref name="arguments"/> inside the running container (its environment, user and
    /// capabilities) and returns its exit code and output; a process outliving <paramref name="timeout"/> is killed
    /// with its exec and reported with a null exit code.
    /// </summary>
    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation)
    {
        using var log = new CommandLog(_logDirectory);
        using var process = Launch(log.Path, ["exec", id, .. arguments]);
        process.StandardInput.Close();
        var output = new BoundedText(ExecOutputLimit);
        Task readOut = output.ReadAsync(process.StandardOutput.BaseStream);
        Task readErr = output.ReadAsync(process.StandardError.BaseStream);
        int? exitCode = await ToolProcess.WaitAsync(process, timeout, cancellation).ConfigureAwait(false);
        // A background process the command left holding the pipes must not hold the probe too.
        await Task.WhenAny(Task.WhenAll(readOut, readErr), Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
        if (exitCode is not null && log.Error() is { } error && exitCode == 255)
        {
            // The runtime could not run the process at all (no such file in the container, container not running).
            throw new OciRuntimeException($"{Name} exec {id}: {Unprefixed(error, "exec")}");
        }

        return new ExecResult(exitCode, output.ToString());
    }

    private async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        using var log = new CommandLog(_logDirectory);
        using var process = Launch(log.Path, arguments);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        int? exitCode = await ToolProcess.WaitAsync(process, CommandTimeout, cancellation).ConfigureAwait(false);
        string what = $"{Name} {string.Join(' ', arguments.Where(a => !a.StartsWith('-')))}";
        if (exitCode is null)
        {
            throw new OciRuntimeException($"{what}: timed out after {CommandTimeout.TotalSeconds:0} s");
        }

        string output = await stdout.ConfigureAwait(false);
        string errors = await stderr.ConfigureAwait(false);
        if (exitCode != 0)
        {
            string? lastLine = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new OciRuntimeException($"{what}: {Unprefixed(log.Error() ?? lastLine, arguments[0]) ?? $"exit code {exitCode}"}");
        }

        return output;
    }

    private Process Launch(string logFile, IReadOnlyList<string> arguments)
    {
        string binary = _binary ??= Find(_runtime)
            ?? throw new OciRuntimeException($"{_runtime}: no such OCI runtime (not a file, not on PATH)");
        return ToolProcess.Start(binary, ["--root", Root, "--log", logFile, "--log-format", "json", .. arguments],
            e => e is null ? new OciRuntimeException($"{binary}: could not be started") : new OciRuntimeException($"{binary}: could not be started: {e.Message}", e));
    }

    /// <summary>runc starts some errors with "runc create failed: "; the message names the command already.</summary>
    private string? Unprefixed(string? error, string command)
    {
        string prefix = $"{Name} {command} failed: ";
        return error is not null && error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (OciRuntimeException)
        {
        }
    }

    /// <summary>One command's <c>--log</c> file: read back for the error, deleted afterwards.</summary>
    private sealed class CommandLog : IDisposable
    {
        public CommandLog(string directory)
        {
            Directory.CreateDirectory(directory);
            Path = System.IO.Path.Combine(directory, $"{Guid.NewGuid():N}.json");
        }

        public string Path { get; }

        /// <summary>The last error the runtime logged, as one line; null when it logged none.</summary>
        public string? Error()
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            string? error = null;
            foreach (string line in File.ReadLines(Path))
            {
                try
                {
                    using var entry = JsonDocument.Parse(line);
                    if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                        && entry.RootElement.TryGetProperty("msg", out var message))
                    {
                        error = message.GetString();
                    }
                }
                catch (JsonException)
                {
                    error = line; // crun writes plain lines before it switches to JSON
                }
            }

            return error?.ReplaceLineEndings(" ").Trim();
        }

        public void Dispose()
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Output kept to its last <c>limit</c> characters (a health check's output is read for one line).</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _text = new();

        public async Task ReadAsync(Stream stream)
        {
            byte[] buffer = new byte[1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    lock (_text)
                    {
                        _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                        if (_text.Length > limit)
                        {
                            _text.Remove(0, _text.Length - limit);
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The command ended while something it started still held the pipe; its output so far is enough.
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
