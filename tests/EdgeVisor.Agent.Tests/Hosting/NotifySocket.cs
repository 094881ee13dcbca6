using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// systemd's side of sd_notify: a Unix datagram socket whose path goes into the agent's NOTIFY_SOCKET. Every
/// datagram (READY=1, WATCHDOG=1, STOPPING=1) is kept with its arrival time.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<(string Message, DateTimeOffset At)> _received = [];
    private readonly Task _receiving;
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgevisor-notify-" + Guid.NewGuid().ToString("N")[..8]);

    public NotifySocket()
    {
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = ReceiveAsync();
    }

    public string Path { get; }

    public IReadOnlyList<(string Message, DateTimeOffset At)> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> datagrams with <paramref name="message"/> arrived; returns them.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> WaitForAsync(string message, int count, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var matching = Received.Where(r => r.Message.Split('\n').Contains(message)).Select(r => r.At).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} × {message} did not arrive within {timeout.TotalSeconds} s; received: [{string.Join(", ", Received.Select(r => r.Message.Trim()))}]\n{context()}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // closed
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_received)
            {
                _received.Add((Encoding.UTF8.GetString(buffer, 0, length), DateTimeOffset.UtcNow));
            }
        }
    }
}
