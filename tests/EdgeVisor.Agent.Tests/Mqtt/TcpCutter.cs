using System.Net;
using System.Net.Sockets;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>
/// A loopback TCP forwarder between the agent and the broker that a test can cut (both sockets closed at once, no
/// MQTT DISCONNECT): what a pulled network cable or a crashed device looks like to the broker, which then publishes
/// the last will. New connections are forwarded again after a cut.
/// </summary>
public sealed class TcpCutter : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpCutter(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes every forwarded connection abruptly.</summary>
    public void Cut()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                try
                {
                    // RST rather than FIN: the broker sees a dead connection, not a polite close.
                    client.Client?.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                    // already closed by its pump
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // cut
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
