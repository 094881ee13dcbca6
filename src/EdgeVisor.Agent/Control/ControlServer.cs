using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Control;

/// <summary>
/// The agent's local control socket (<see cref="AgentOptions.ControlSocket"/>): what <c>edgevisor ps</c> and
/// <c>edgevisor logs</c> ask on the device. Root only (the socket is 0600); one JSON request line per connection,
/// answered with a <see cref="ControlReply"/> line and, for logs, console lines (see <see cref="ControlReply"/>).
/// </summary>
public sealed class ControlServer(string socketPath, Reconciler reconciler, ILogger<ControlServer> logger) : IAsyncDisposable
{
    private const int MaxRequestBytes = 4096;

    // More clients than this at once are turned away: a few people typing commands on a device never get near it.
    private const int MaxConnections = 64;

    // Lines held for a follower that reads slower than the workload writes; beyond it they are counted and skipped.
    private const int FollowBufferLines = 4096;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LiveReportTimeout = TimeSpan.FromSeconds(3);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] LineEnd = [(byte)'\n'];

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private Socket? _listener;
    private string? _boundPath;
    private Task _accepting = Task.CompletedTask;
    private bool _disposed;

    /// <summary>
    /// Binds the socket (creating its directory 0755, replacing a stale socket file) and serves until disposed.
    /// Throws <see cref="IOException"/> with one line when another agent answers on the path or the path is taken by
    /// something that is not a socket.
    /// </summary>
    public void Start()
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("the control server is already started");
        }

        string path = Path.GetFullPath(socketPath);
        CreateDirectory(Path.GetDirectoryName(path)!);
        RemoveStale(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));

            // Root only, before anyone can connect: the socket answers with every workload's console.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            listener.Listen(16);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"control socket {path}: {e.Message}", e);
        }

        _listener = listener;
        _boundPath = path;
        _accepting = AcceptAsync(listener, _stopping.Token);
        ControlLog.Listening(logger, path);
    }

    /// <summary>Stops accepting, ends every connection (followers too) and removes the socket file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        if (_boundPath is not null)
        {
            File.Delete(_boundPath);
        }

        _stopping.Dispose();
    }

    private static void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // Readable by all so `ls` shows the socket; the socket itself is root only.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>
    /// A socket file nobody answers on is left from an agent that died: it is removed. One that answers belongs to a
    /// running agent, which keeps it. A directory, a symbolic link or a file with content is never a socket and is
    /// never removed (.NET cannot tell an empty file from a socket without native calls; a socket has no content).
    /// </summary>
    private void RemoveStale(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"control socket {path}: a directory is in the way");
        }

        var entry = new FileInfo(path);
        if (!entry.Exists)
        {
            return;
        }

        if (entry.LinkTarget is not null || entry.Length > 0)
        {
            throw new IOException($"control socket {path}: a file that is not a socket is in the way");
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"control socket {path}: another agent is answering on it (stop it, or give this one another Agent:ControlSocket)");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nobody listens: stale.
            }
        }

        File.Delete(path);
        ControlLog.ReplacedStale(logger, path);
    }

    private async Task AcceptAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or memory for a moment: the next accept may work; do not spin.
                ControlLog.AcceptFailed(logger, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
                continue;
            }

            lock (_gate)
            {
                if (_connections.Count >= MaxConnections)
                {
                    client.Dispose();
                    continue;
                }

                var connection = ServeAsync(client, ct);
                _connections.Add(connection);
                _ = connection.ContinueWith(Forget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Forget(Task connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        // Let the accept loop go on before this connection does any work.
        await Task.Yield();
        try
        {
            using (socket)
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var (request, problem) = await ReadRequestAsync(stream, ct).ConfigureAwait(false);
                if (request is null)
                {
                    await ReplyAsync(stream, ControlStatus.BadRequest, problem, ct).ConfigureAwait(false);
                    return;
                }

                switch (request.Command)
                {
                    case ControlCommands.Ps:
                        await PsAsync(stream, ct).ConfigureAwait(false);
                        break;
                    case ControlCommands.Logs:
                        await LogsAsync(socket, stream, request, ct).ConfigureAwait(false);
                        break;
                    default:
                        await ReplyAsync(stream, ControlStatus.BadRequest, $"unknown command '{request.Command}' (this agent answers {ControlCommands.Ps} and {ControlCommands.Logs})", ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the agent is stopping: nothing to tell anyone.
            ControlLog.ConnectionEnded(logger, e.Message);
        }
    }

    /// <summary>Reads the request line (at most 4 KiB, within 5 s); null and why when it is not a request.</summary>
    private static async Task<(ControlRequest? Request, string Problem)> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        byte[] buffer = new byte[MaxRequestBytes];
        int length = 0;
        int end;
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (null, $"no request line within {RequestTimeout.TotalSeconds:0} s");
            }

            end = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (end >= 0 || read == 0)
            {
                break;
            }

            if (length == buffer.Length)
            {
                return (null, $"the request is longer than {MaxRequestBytes} bytes");
            }
        }

        var line = buffer.AsSpan(0, end >= 0 ? end : length).TrimEnd((byte)'\r');
        try
        {
            return (ProtocolJson.Parse<ControlRequest>(line), "");
        }
        catch (ProtocolException e)
        {
            return (null, $"not a request: {e.Message}");
        }
    }

    private async Task PsAsync(NetworkStream stream, CancellationToken ct)
    {
        // Resources read now, on the loop; a loop busy with a long step (stopping a workload that takes its whole
        // grace period) must not hang ps: then the last report, whose figures are at most a telemetry period old.
        ReportedState state;
        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            patience.CancelAfter(LiveReportTimeout);
            try
            {
                state = await reconciler.ReadLiveAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                state = reconciler.Current;
            }
        }

        await WriteLineAsync(stream, ProtocolJson.Serialize(new ControlReply { Status = ControlStatus.Ok, State = state }), ct).ConfigureAwait(false);
    }

    private async Task LogsAsync(Socket socket, NetworkStream stream, ControlRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Workload))
        {
            await ReplyAsync(stream, ControlStatus.BadRequest, "logs: name a workload", ct).ConfigureAwait(false);
            return;
        }

        if (request.Tail is < 0 or > ControlCommands.MaxTail)
        {
            await ReplyAsync(stream, ControlStatus.BadRequest, $"logs: tail {request.Tail} is not between 0 and {ControlCommands.MaxTail}", ct).ConfigureAwait(false);
            return;
        }

        // Subscribe before reading the tail, so no line falls between the two (one may show twice, at the seam).
        Channel<string>? fresh = null;
        long dropped = 0;
        IDisposable? following = null;
        if (request.Follow)
        {
            fresh = Channel.CreateBounded<string>(new BoundedChannelOptions(FollowBufferLines) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
            var writer = fresh.Writer;
            following = reconciler.FollowLogs(request.Workload, line =>
            {
                if (!writer.TryWrite(line))
                {
                    Interlocked.Increment(ref dropped);
                }
            });
        }

        using (following)
        {
            var tail = reconciler.Logs(request.Workload, request.Tail);
            if (tail is null || (request.Follow && following is null))
            {
                await ReplyAsync(stream, ControlStatus.UnknownWorkload, $"no workload named '{request.Workload}' on this device", ct).ConfigureAwait(false);
                return;
            }

            await WriteLineAsync(stream, ProtocolJson.Serialize(new ControlReply { Status = ControlStatus.Ok }), ct).ConfigureAwait(false);
            await using var text = new StreamWriter(stream, Utf8, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\n" };
            foreach (string line in tail)
            {
                await text.WriteLineAsync(line.AsMemory(), ct).ConfigureAwait(false);
            }

            await text.FlushAsync(ct).ConfigureAwait(false);
            if (fresh is null)
            {
                return;
            }

            // The client sends nothing after its request: a read that ends means it has gone.
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watch = WatchForCloseAsync(socket, gone);
            try
            {
                var reader = fresh.Reader;
                while (await reader.WaitToReadAsync(gone.Token).ConfigureAwait(false))
                {
                    long skipped = Interlocked.Exchange(ref dropped, 0);
                    if (skipped > 0)
                    {
                        await text.WriteLineAsync($"[edgevisor: {skipped} lines skipped: this reader was slower than the workload]".AsMemory(), gone.Token).ConfigureAwait(false);
                    }

                    while (reader.TryRead(out string? line))
                    {
                        await text.WriteLineAsync(line.AsMemory(), gone.Token).ConfigureAwait(false);
                    }

                    await text.FlushAsync(gone.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                await gone.CancelAsync().ConfigureAwait(false);
                await watch.ConfigureAwait(false);
            }
        }
    }

    private static async Task WatchForCloseAsync(Socket socket, CancellationTokenSource gone)
    {
        byte[] one = new byte[1];
        try
        {
            while (await socket.ReceiveAsync(one, SocketFlags.None, gone.Token).ConfigureAwait(false) > 0)
            {
                // Anything sent after the request is ignored.
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed, reset, or the follow ended first.
        }

        await gone.CancelAsync().ConfigureAwait(false);
    }

    private static Task ReplyAsync(NetworkStream stream, string status, string error, CancellationToken ct) =>
        WriteLineAsync(stream, ProtocolJson.Serialize(new ControlReply { Status = status, Error = error }), ct);

    private static async Task WriteLineAsync(NetworkStream stream, byte[] json, CancellationToken ct)
    {
        await stream.WriteAsync(json, ct).ConfigureAwait(false);
        await stream.WriteAsync(LineEnd, ct).ConfigureAwait(false);
    }
}

/// <summary>The control server's log lines (event ids 5400-5499; next free: 5404).</summary>
internal static partial class ControlLog
{
    [LoggerMessage(5400, LogLevel.Information, "Control socket {Path} is listening (edgevisor ps, edgevisor logs)")]
    public static partial void Listening(ILogger logger, string path);

    [LoggerMessage(5401, LogLevel.Information, "Control socket {Path}: removed the stale socket of an earlier agent")]
    public static partial void ReplacedStale(ILogger logger, string path);

    [LoggerMessage(5402, LogLevel.Warning, "Control socket: could not accept a connection: {Error}")]
    public static partial void AcceptFailed(ILogger logger, string error);

    [LoggerMessage(5403, LogLevel.Debug, "Control socket: a connection ended: {Error}")]
    public static partial void ConnectionEnded(ILogger logger, string error);
}
