using System.Net;
using System.Net.Sockets;
using EdgeVisor.Emulation.Debugging.Rsp;

namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// A GDB remote-protocol server on 127.0.0.1 for one <see cref="IDebugTarget"/>, one client at a time.
/// Lifetime of the machine under it:
/// <list type="bullet">
/// <item>with <c>waitForAttach</c> the machine stays halted at its reset vector until a client continues it;
/// without, it runs from the start and a client that connects halts it (like attaching to a live board);</item>
/// <item>'D' (detach) or a dropped connection removes the client's breakpoints and lets the machine run on;
/// another client may attach later;</item>
/// <item>'k' (kill) ends the machine; so does a semihosting exit (the client gets "W" first) and a fault with no
/// client attached.</item>
/// </list>
/// </summary>
public sealed class GdbServer : IDisposable
{
    private readonly IDebugTarget _target;
    private readonly TcpListener _listener;

    /// <param name="target">The machine to serve.</param>
    /// <param name="port">TCP port on 127.0.0.1; 0 picks a free one (see <see cref="Endpoint"/>).</param>
    public GdbServer(IDebugTarget target, int port)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            _listener.Start(1);
        }
        catch (SocketException e)
        {
            throw new IOException($"gdb server: cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }

        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
    }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>One-line notices for the user (client attached, detached), or null.</summary>
    public TextWriter? Messages { get; init; }

    /// <summary>Every packet in both directions, for troubleshooting a client, or null.</summary>
    public TextWriter? ProtocolLog { get; init; }

    /// <summary>
    /// Entry point for the CLI: listens on 127.0.0.1:<paramref name="port"/> and serves <paramref name="target"/>
    /// until the machine ends (see <see cref="GdbServeResult"/>). Blocks the calling thread.
    /// </summary>
    public static GdbServeResult Serve(IDebugTarget target, int port, bool waitForAttach, CancellationToken cancellation, TextWriter? messages = null)
    {
        using var server = new GdbServer(target, port) { Messages = messages };
        messages?.WriteLine(waitForAttach
            ? $"gdb server on {server.Endpoint}: machine halted at reset, waiting for gdb to attach"
            : $"gdb server on {server.Endpoint}: machine running, gdb may attach at any time");
        return server.RunAsync(waitForAttach, cancellation).GetAwaiter().GetResult();
    }

    /// <summary>Serves clients until the machine ends. See the class remarks for the lifetime rules.</summary>
    public async Task<GdbServeResult> RunAsync(bool waitForAttach, CancellationToken cancellation)
    {
        Task<DebugStop>? running = waitForAttach ? null : StartRunning();
        var stop = DebugStop.Halted;
        Task<TcpClient>? accept = null;
        while (true)
        {
            accept ??= _listener.AcceptTcpClientAsync(cancellation).AsTask();
            if (running is not null && await Task.WhenAny(accept, running).ConfigureAwait(false) == running)
            {
                stop = await running.ConfigureAwait(false);
                if (EndWithoutClient(stop) is { } finished)
                {
                    Observe(accept);
                    return finished;
                }

                running = StartRunning(); // a leftover stop request; nobody wants the machine halted
                continue;
            }

            TcpClient client;
            try
            {
                client = await accept.ConfigureAwait(false);
                accept = null;
            }
            catch (OperationCanceledException)
            {
                return await CancelAsync(running).ConfigureAwait(false);
            }

            if (running is not null)
            {
                _target.Interrupt();
                stop = await running.ConfigureAwait(false);
                running = null;
                if (stop.Kind == DebugStopKind.Interrupted)
                {
                    stop = DebugStop.Halted;
                }
            }

            var end = await ServeClientAsync(client, stop, cancellation).ConfigureAwait(false);
            switch (end.End)
            {
                case GdbSessionEnd.Killed:
                    return new GdbServeResult(GdbServeOutcome.Killed, Message: "killed by the debugger");
                case GdbSessionEnd.Exited:
                    return new GdbServeResult(GdbServeOutcome.Exited, end.LastStop.ExitCode);
                case GdbSessionEnd.Cancelled:
                    return new GdbServeResult(GdbServeOutcome.Cancelled);
                default:
                    Messages?.WriteLine("gdb server: debugger detached; machine running");
                    stop = end.LastStop;
                    running = StartRunning();
                    break;
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private static GdbServeResult? EndWithoutClient(DebugStop stop) => stop.Kind switch
    {
        DebugStopKind.Exited => new GdbServeResult(GdbServeOutcome.Exited, stop.ExitCode),
        DebugStopKind.Faulted => new GdbServeResult(GdbServeOutcome.Faulted, Message: stop.Message),
        _ => null,
    };

    // The pending accept fails when the listener closes; observe it so the failure is not reported as unobserved.
    private static void Observe(Task<TcpClient> accept) =>
        accept.ContinueWith(t => t.Exception, TaskScheduler.Default);

    private Task<DebugStop> StartRunning() => Task.Run(() =>
    {
        try
        {
            return _target.Resume();
        }
        catch (Exception e)
        {
            return DebugStop.Faulted($"emulator error while running: {e.Message}");
        }
    });

    private async Task<GdbServeResult> CancelAsync(Task<DebugStop>? running)
    {
        if (running is not null)
        {
            _target.Interrupt();
            await running.ConfigureAwait(false);
        }

        return new GdbServeResult(GdbServeOutcome.Cancelled);
    }

    private async Task<(GdbSessionEnd End, DebugStop LastStop)> ServeClientAsync(TcpClient client, DebugStop stop, CancellationToken cancellation)
    {
        client.NoDelay = true;
        Messages?.WriteLine($"gdb server: debugger attached from {client.Client.RemoteEndPoint}");
        using var refuseOthers = new CancellationTokenSource();
        var refusing = RefuseOtherClientsAsync(refuseOthers.Token);
        await using var connection = new RspConnection(client.GetStream()) { Log = ProtocolLog };
        var session = new GdbSession(_target, connection, stop);
        _target.SetDebuggerAttached(true);
        GdbSessionEnd end;
        try
        {
            end = await session.RunAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            _target.SetDebuggerAttached(false);
        }

        await refuseOthers.CancelAsync().ConfigureAwait(false);
        await refusing.ConfigureAwait(false);
        client.Dispose();
        return (end, session.LastStop);
    }

    // One client at a time: a second connection is closed at once instead of hanging in the backlog.
    private async Task RefuseOtherClientsAsync(CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                using var other = await _listener.AcceptTcpClientAsync(cancellation).ConfigureAwait(false);
                Messages?.WriteLine($"gdb server: refused a second debugger from {other.Client.RemoteEndPoint}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
