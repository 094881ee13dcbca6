using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Tests.Containers.Registry;

/// <summary>
/// A TCP proxy on a free loopback port in front of a registry that, once armed, cuts the first connection whose
/// responses pass <see cref="CutAfterBytes"/> bytes (a registry going away mid-blob), then passes everything. It
/// counts the requests that carried a <c>Range</c> header, so a test can see that a retry resumed.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private int _armed;
    private int _rangeRequests;
    private int _requests;
    private int _cuts;

    /// <summary>Proxies to <paramref name="upstream"/> (host:port); cuts once after <paramref name="cutAfterBytes"/> response bytes on one connection (null: never).</summary>
    public CuttingProxy(string upstream, long? cutAfterBytes)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        int colon = upstream.LastIndexOf(':');
        _upstreamHost = upstream[..colon];
        _upstreamPort = int.Parse(upstream[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Host = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        if (cutAfterBytes is { } bytes)
        {
            Arm(bytes);
        }

        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>host:port to use in image references instead of the registry's.</summary>
    public string Host { get; }

    public long CutAfterBytes { get; private set; }

    /// <summary>Requests that asked for a byte range (<c>Range:</c> header) so far.</summary>
    public int RangeRequests => Volatile.Read(ref _rangeRequests);

    /// <summary>HTTP requests seen so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Cuts the next connection whose responses pass <paramref name="bytes"/> bytes (once).</summary>
    public void Arm(long bytes)
    {
        CutAfterBytes = bytes;
        Volatile.Write(ref _armed, 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.RemoveAll(task => task.IsCompleted);
                _connections.Add(Task.Run(() => RelayAsync(client)));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        using (var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            try
            {
                await upstream.ConnectAsync(_upstreamHost, _upstreamPort, connection.Token);
                Task requests = PumpRequestsAsync(client.GetStream(), upstream.GetStream(), connection.Token);
                Task responses = PumpResponsesAsync(upstream.GetStream(), client.GetStream(), connection.Token);
                await Task.WhenAny(requests, responses);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // one side closed or the proxy stops
            }
            finally
            {
                await connection.CancelAsync();
                Close(client.Client);
            }
        }
    }

    /// <summary>
    /// Closes with a FIN, not a reset: a reset makes the client's kernel drop bytes it received but the client has
    /// not read yet, and tests count on the client having exactly what the proxy sent before the cut.
    /// </summary>
    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // the client is gone already
        }

        socket.Close();
    }

    private async Task PumpRequestsAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        string carry = "";
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            // Header lines may straddle reads: scan what was read with the tail of the previous read.
            string text = carry + Encoding.Latin1.GetString(buffer, 0, read);
            Interlocked.Add(ref _rangeRequests, CountNew(text, "\r\nrange:", carry.Length));
            Interlocked.Add(ref _requests, CountNew(text, " HTTP/1.1\r\n", carry.Length));
            carry = text.Length > 16 ? text[^16..] : text;
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private async Task PumpResponsesAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        long relayed = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            if (Volatile.Read(ref _armed) == 1 && relayed + read > CutAfterBytes && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, CutAfterBytes - relayed)), ct);
                await to.FlushAsync(ct);
                Interlocked.Increment(ref _cuts);
                return;
            }

            relayed += read;
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    /// <summary>Occurrences of <paramref name="what"/> that reach past the first <paramref name="seen"/> characters (those were counted before).</summary>
    private static int CountNew(string text, string what, int seen)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.OrdinalIgnoreCase))
        {
            count += i + what.Length > seen ? 1 : 0;
        }

        return count;
    }
}
