namespace EdgeVisor.Emulation.Debugging.Rsp;

/// <summary>
/// Turns the client's byte stream into <see cref="RspInput"/>s. Fed any chunking of the stream it
/// yields the same inputs: a packet split across reads, or several packets in one read, both work.
/// Escapes are removed from payloads; run-length encoding is not used by clients and not expanded.
/// </summary>
public sealed class RspParser
{
    /// <summary>A frame longer than this is dropped as garbage (our advertised PacketSize is far smaller).</summary>
    public const int MaxPayload = 1 << 20;

    private readonly List<byte> _payload = [];
    private State _state = State.Idle;
    private int _sum;
    private int _checksumHigh;
    private bool _escaped;

    private enum State
    {
        Idle,
        Payload,
        Checksum1,
        Checksum2,
    }

    /// <summary>Consumes <paramref name="bytes"/> and appends every completed input to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<RspInput> output)
    {
        foreach (byte b in bytes)
        {
            switch (_state)
            {
                case State.Idle:
                    FeedIdle(b, output);
                    break;
                case State.Payload:
                    FeedPayload(b);
                    break;
                case State.Checksum1:
                    _checksumHigh = HexValue(b);
                    _state = State.Checksum2;
                    break;
                case State.Checksum2:
                    int low = HexValue(b);
                    bool ok = _checksumHigh >= 0 && low >= 0 && ((_checksumHigh << 4) | low) == (_sum & 0xFF);
                    output.Add(new RspInput(ok ? RspInputKind.Packet : RspInputKind.CorruptPacket, [.. _payload]));
                    _payload.Clear();
                    _state = State.Idle;
                    break;
            }
        }
    }

    private void FeedIdle(byte b, List<RspInput> output)
    {
        switch (b)
        {
            case (byte)'$':
                _payload.Clear();
                _sum = 0;
                _escaped = false;
                _state = State.Payload;
                break;
            case (byte)'+':
                output.Add(RspInput.Ack);
                break;
            case (byte)'-':
                output.Add(RspInput.Nak);
                break;
            case RspEncoding.Interrupt:
                output.Add(RspInput.Interrupt);
                break;

            // Anything else between packets is line noise and is ignored.
        }
    }

    private void FeedPayload(byte b)
    {
        if (b == '#' && !_escaped)
        {
            _state = State.Checksum1;
            return;
        }

        _sum += b;
        if (_escaped)
        {
            _payload.Add((byte)(b ^ RspEncoding.EscapeXor));
            _escaped = false;
        }
        else if (b == RspEncoding.Escape)
        {
            _escaped = true;
        }
        else
        {
            _payload.Add(b);
        }

        if (_payload.Count > MaxPayload)
        {
            _payload.Clear();
            _state = State.Idle;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
