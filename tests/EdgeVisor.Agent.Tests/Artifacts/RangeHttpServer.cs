using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Agent.Tests.Artifacts;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 for the artifact store's tests: serves byte ranges (206, 416), can
/// ignore ranges (200), answer a fixed status (404, 500), drop the connection part-way through a body, hold a body
/// back until released, and records every request with the bytes of body it sent. One request per connection.
/// </summary>
internal sealed class RangeHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly List<ServedRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _arrived;

    public RangeHttpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The URL of <paramref name="path"/> on this server.</summary>
    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    public Route Serve(string path, byte[] content)
    {
        var route = new Route(content);
        lock (_gate)
        {
            _routes[path] = route;
        }

        return route;
    }

    /// <summary>Requests whose head has been read (answered or not yet).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Every answered request so far, in the order their answers ended.</summary>
    public IReadOnlyList<ServedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        // The accept loop ends with the cancellation; connections still open end when their clients close them.
        _ = _accepting.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string head = await ReadHeadAsync(stream);
                Interlocked.Increment(ref _arrived);
                string[] lines = head.Split("\r\n");
                string path = lines[0].Split(' ')[1];
                string? range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
                Route? route;
                lock (_gate)
                {
                    route = _routes.GetValueOrDefault(path);
                }

                var (status, bytesSent) = route is null
                    ? (404, await RespondAsync(stream, 404, "Not Found", ReadOnlyMemory<byte>.Empty, null, null))
                    : await ServeAsync(stream, route, range);
                lock (_gate)
                {
                    _requests.Add(new ServedRequest(path, range, status, bytesSent));
                }
            }
            catch (IOException)
            {
                // The client went away; nothing to record.
            }
        }
    }

    private async Task<(int Status, long BytesSent)> ServeAsync(NetworkStream stream, Route route, string? range)
    {
        if (route.Status is { } fixedStatus)
        {
            return (fixedStatus, await RespondAsync(stream, fixedStatus, "Fixed", ReadOnlyMemory<byte>.Empty, null, null));
        }

        byte[] content = route.Content;
        long from = 0;
        int status = 200;
        string? contentRange = null;
        if (range is not null && !route.IgnoreRanges && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (from >= content.Length)
            {
                return (416, await RespondAsync(stream, 416, "Range Not Satisfiable", ReadOnlyMemory<byte>.Empty, null, $"bytes */{content.Length}"));
            }

            status = 206;
            contentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        if (route.HoldBody is { } hold)
        {
            await hold.Task;
        }

        long? dropAfter = null;
        lock (_gate)
        {
            if (route.DropsLeft > 0)
            {
                route.DropsLeft--;
                dropAfter = route.DropAfterBytes;
            }
        }

        var body = content.AsMemory((int)from);
        long sent = await RespondAsync(stream, status, status == 206 ? "Partial Content" : "OK", body, dropAfter, contentRange);
        return (status, sent);
    }

    /// <summary>Writes a response; with <paramref name="dropAfter"/> only that much of the body, then the connection is cut.</summary>
    private static async Task<long> RespondAsync(NetworkStream stream, int status, string reason, ReadOnlyMemory<byte> body, long? dropAfter, string? contentRange)
    {
        var head = new StringBuilder();
        head.Append($"HTTP/1.1 {status} {reason}\r\nContent-Length: {body.Length}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n");
        if (contentRange is not null)
        {
            head.Append($"Content-Range: {contentRange}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        var sent = dropAfter is { } n ? body[..(int)Math.Min(n, body.Length)] : body;
        await stream.WriteAsync(sent);
        await stream.FlushAsync();
        return sent.Length;
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("the client closed the connection before the request was complete");
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    /// <summary>What one path serves, and how it misbehaves.</summary>
    internal sealed class Route(byte[] content)
    {
        public byte[] Content { get; set; } = content;

        /// <summary>Answer every request with this status and no body.</summary>
        public int? Status { get; set; }

        /// <summary>Answer range requests with the whole content (200), as servers without range support do.</summary>
        public bool IgnoreRanges { get; set; }

        /// <summary>The next <see cref="DropsLeft"/> responses send only this many body bytes, then cut the connection.</summary>
        public long DropAfterBytes { get; set; }

        public int DropsLeft { get; set; }

        /// <summary>When set, bodies wait for this before they are sent.</summary>
        public TaskCompletionSource? HoldBody { get; set; }
    }
}

/// <summary>One request the server answered: the Range header it carried, the status, and how many body bytes went out.</summary>
internal sealed record ServedRequest(string Path, string? Range, int Status, long BytesSent);
