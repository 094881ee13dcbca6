using System.Text;
using EdgeVisor.Emulation.Debugging.Rsp;

namespace EdgeVisor.Emulation.Tests.Debugging;

/// <summary>Framing rules: one write per packet, escapes that survive a round trip, any chunking of the input.</summary>
public sealed class RspFramingTests
{
    [Fact]
    public void Frames_escape_the_four_special_bytes_and_checksum_the_wire_form()
    {
        var frame = Encoding.Latin1.GetString(RspEncoding.Frame([0x23, 0x24, 0x7d, 0x2a, 0x41]));

        Assert.Equal(RspTestClient.Frame("}\u0003}\u0004}]}\nA"), frame);
    }

    [Fact]
    public void The_parser_reassembles_packets_split_at_every_byte()
    {
        var payload = new byte[] { (byte)'X', 0x23, 0x00, 0xFF, 0x7d, 0x24, 0x2a, 0x03 };
        var wire = RspEncoding.Frame(payload).Concat("+"u8.ToArray()).Concat(new byte[] { 0x03 }).ToArray();
        var parser = new RspParser();
        var inputs = new List<RspInput>();

        foreach (byte b in wire)
        {
            parser.Feed([b], inputs);
        }

        Assert.Equal(3, inputs.Count);
        Assert.Equal(RspInputKind.Packet, inputs[0].Kind);
        Assert.Equal(payload, inputs[0].Payload);
        Assert.Equal(RspInputKind.Ack, inputs[1].Kind);
        Assert.Equal(RspInputKind.Interrupt, inputs[2].Kind);
    }

    [Fact]
    public void The_parser_flags_a_wrong_checksum()
    {
        var inputs = new List<RspInput>();
        new RspParser().Feed("$g#00$g#67"u8, inputs);

        Assert.Equal([RspInputKind.CorruptPacket, RspInputKind.Packet], inputs.Select(i => i.Kind));
    }

    [Fact]
    public async Task Every_packet_and_ack_leaves_in_a_single_write()
    {
        var stream = new RecordingDuplexStream(RspTestClient.Frame("qC") + "+");
        await using var connection = new RspConnection(stream);

        var input = await connection.ReceiveAsync();
        Assert.Equal("qC", Encoding.Latin1.GetString(input!.Value.Payload));
        var big = new string('a', 3000);
        await connection.SendAsync(big);

        Assert.Equal(["+", RspTestClient.Frame(big)], stream.Writes);
    }

    /// <summary>Serves fixed input bytes and records each write call separately.</summary>
    private sealed class RecordingDuplexStream(string input) : Stream
    {
        private readonly MemoryStream _input = new(Encoding.Latin1.GetBytes(input));
        private readonly TaskCompletionSource _never = new();

        public List<string> Writes { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = _input.Read(buffer.Span);
            if (n > 0)
            {
                return n;
            }

            await _never.Task.WaitAsync(cancellationToken); // an idle client: no more input, connection open
            return 0;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(Encoding.Latin1.GetString(buffer, offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(Encoding.Latin1.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }
    }
}
