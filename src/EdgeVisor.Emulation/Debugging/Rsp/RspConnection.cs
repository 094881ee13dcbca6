using System.Text;
using System.Threading.Channels;

namespace EdgeVisor.Emulation.Debugging.Rsp;

/// <summary>
/// One client connection speaking RSP framing: a background reader parses the stream into inputs;
/// <see cref="SendAsync(string)"/> writes each packet with a single write and, in acknowledgement mode,
/// waits for the client's '+' (retransmitting on '-'). Inputs that arrive while we wait for an
/// acknowledgement are kept, in order, for <see cref="ReceiveAsync"/>.
/// </summary>
public sealed class RspConnection : IAsyncDisposable
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);
    private const int MaxSendAttempts = 4;

    private readonly Stream _stream;
    private readonly Channel<RspInput> _inputs = Channel.CreateUnbounded<RspInput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Queue<RspInput> _deferred = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _reader;
    private Task<RspInput?>? _next;

    public RspConnection(Stream stream)
    {
        _stream = stream;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Whether packets are acknowledged ('+'/'-'); false after QStartNoAckMode.</summary>
    public bool AckMode { get; private set; } = true;

    /// <summary>Optional protocol log: every packet in ("-> ") and out ("<- ").</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Stops acknowledging in both directions (call after the "OK" to QStartNoAckMode was sent and acknowledged).</summary>
    public void DisableAcks() => AckMode = false;

    /// <summary>
    /// The next packet or interrupt request, or null once the client has gone. Acknowledges packets
    /// (and rejects corrupt ones) in acknowledgement mode; stray '+'/'-' are dropped.
    /// </summary>
    public async Task<RspInput?> ReceiveAsync()
    {
        while (true)
        {
            var input = await PeekAsync().ConfigureAwait(false);
            Advance();
            if (input is not { } value)
            {
                return null;
            }

            switch (value.Kind)
            {
                case RspInputKind.Packet:
                    Log?.WriteLine("-> " + Encoding.Latin1.GetString(value.Payload));
                    if (AckMode)
                    {
                        await WriteRawAsync("+"u8.ToArray()).ConfigureAwait(false);
                    }

                    return value;
                case RspInputKind.CorruptPacket:
                    Log?.WriteLine("-> (bad checksum) " + Encoding.Latin1.GetString(value.Payload));
                    if (AckMode)
                    {
                        await WriteRawAsync("-"u8.ToArray()).ConfigureAwait(false);
                    }

                    break;
                case RspInputKind.Interrupt:
                    Log?.WriteLine("-> ^C");
                    return value;
            }
        }
    }

    /// <summary>
    /// Completes when input is available (without consuming it) or with null when the client has gone.
    /// Used while the target runs, to notice an interrupt request without blocking on the target.
    /// </summary>
    public Task<RspInput?> PeekAsync() =>
        _deferred.Count > 0 ? Task.FromResult<RspInput?>(_deferred.Peek()) : _next ??= ReadChannelAsync();

    /// <summary>Consumes the input <see cref="PeekAsync"/> returned.</summary>
    public void Advance()
    {
        if (_deferred.Count > 0)
        {
            _deferred.Dequeue();
        }
        else
        {
            _next = null;
        }
    }

    /// <summary>Sends a packet (text payload, escaped as needed) in one write.</summary>
    public Task SendAsync(string payload) => SendAsync(Encoding.Latin1.GetBytes(payload));

    /// <summary>Sends a packet (binary payload, escaped as needed) in one write, then waits for the acknowledgement if required.</summary>
    public async Task SendAsync(byte[] payload)
    {
        var frame = RspEncoding.Frame(payload);
        Log?.WriteLine("<- " + Encoding.Latin1.GetString(payload));
        for (int attempt = 1; ; attempt++)
        {
            await WriteRawAsync(frame).ConfigureAwait(false);
            if (!AckMode || await WaitForAckAsync().ConfigureAwait(false))
            {
                return;
            }

            if (attempt == MaxSendAttempts)
            {
                throw new IOException($"the debugger did not acknowledge a packet after {MaxSendAttempts} attempts");
            }
        }
    }

    /// <summary>Discards input until the client closes the connection or <paramref name="grace"/> passes.</summary>
    public async Task WaitForCloseAsync(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        try
        {
            while (await PeekAsync().WaitAsync(deadline - DateTime.UtcNow).ConfigureAwait(false) is not null)
            {
                Advance();
            }
        }
        catch (Exception e) when (e is TimeoutException or ArgumentOutOfRangeException)
        {
            // The client keeps the connection open; we close it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The reader ends by failing on the closed stream; nothing is left to report.
        }

        _lifetime.Dispose();
    }

    // True on '+', false on '-' or timeout. Packets and interrupts that overtake the acknowledgement are deferred.
    private async Task<bool> WaitForAckAsync()
    {
        while (true)
        {
            var next = _next ??= ReadChannelAsync();
            try
            {
                await next.WaitAsync(AckTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }

            _next = null;
            var input = await next.ConfigureAwait(false) ?? throw new IOException("the debugger disconnected");
            switch (input.Kind)
            {
                case RspInputKind.Ack:
                    return true;
                case RspInputKind.Nak:
                    return false;
                default:
                    _deferred.Enqueue(input);
                    break;
            }
        }
    }

    private async Task<RspInput?> ReadChannelAsync()
    {
        try
        {
            while (await _inputs.Reader.WaitToReadAsync(_lifetime.Token).ConfigureAwait(false))
            {
                if (_inputs.Reader.TryRead(out var input))
                {
                    return input;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    private async Task WriteRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, _lifetime.Token).ConfigureAwait(false);
        await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        var parser = new RspParser();
        var parsed = new List<RspInput>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, _lifetime.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                parsed.Clear();
                parser.Feed(buffer.AsSpan(0, n), parsed);
                foreach (var input in parsed)
                {
                    _inputs.Writer.TryWrite(input);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset connection is the same as a closed one.
        }
        finally
        {
            _inputs.Writer.TryComplete();
        }
    }
}
