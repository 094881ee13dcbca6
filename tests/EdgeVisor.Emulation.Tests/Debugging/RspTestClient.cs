using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeVisor.Emulation.Tests.Debugging;

/// <summary>
/// A minimal RSP client written independently of the server's code: frames, checksums and
/// acknowledgements by hand, so a bug shared by both sides cannot hide.
/// </summary>
internal sealed class RspTestClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    public RspTestClient(IPEndPoint endpoint)
    {
        _client = new TcpClient();
        _client.Connect(endpoint);
        _client.NoDelay = true;
        _stream = _client.GetStream();
    }

    /// <summary>Whether we acknowledge packets and expect acknowledgements.</summary>
    public bool AckMode { get; set; } = true;

    /// <summary>Acknowledgement bytes ('+'/'-') received so far.</summary>
    public StringBuilder AcksReceived { get; } = new();

    public static string Frame(string payload)
    {
        int sum = 0;
        foreach (char c in payload)
        {
            sum += c;
        }

        return $"${payload}#{sum & 0xFF:x2}";
    }

    public void SendRaw(string text) => SendRaw(Encoding.Latin1.GetBytes(text));

    public void SendRaw(byte[] bytes) => _stream.Write(bytes);

    /// <summary>Sends a packet; in ack mode also reads the server's '+'.</summary>
    public void Send(string payload)
    {
        SendRaw(Frame(payload));
        if (AckMode)
        {
            Assert.Equal('+', (char)ReadByte(DefaultTimeout));
        }
    }

    public string Request(string payload)
    {
        Send(payload);
        return ReadPacket();
    }

    /// <summary>Reads one packet (skipping nothing but recording stray acks), checks its checksum, acknowledges it.</summary>
    public string ReadPacket(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        int b;
        while ((b = ReadByte(limit)) != '$')
        {
            Assert.True(b is '+' or '-', $"unexpected byte 0x{b:x2} between packets");
            AcksReceived.Append((char)b);
        }

        var wire = new StringBuilder();
        while ((b = ReadByte(limit)) != '#')
        {
            wire.Append((char)b);
        }

        string checksum = $"{(char)ReadByte(limit)}{(char)ReadByte(limit)}";
        int sum = 0;
        foreach (char c in wire.ToString())
        {
            sum += c;
        }

        Assert.Equal($"{sum & 0xFF:x2}", checksum);
        if (AckMode)
        {
            SendRaw("+");
        }

        return Unescape(wire.ToString());
    }

    /// <summary>True if no byte arrives within <paramref name="wait"/>.</summary>
    public bool Silent(TimeSpan wait)
    {
        _client.ReceiveTimeout = (int)wait.TotalMilliseconds;
        try
        {
            return _stream.ReadByte() < 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>True if the server closed the connection within <paramref name="wait"/>.</summary>
    public bool Closed(TimeSpan wait)
    {
        _client.ReceiveTimeout = (int)wait.TotalMilliseconds;
        try
        {
            return _stream.ReadByte() < 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Unescape(string wire)
    {
        var text = new StringBuilder();
        for (int i = 0; i < wire.Length; i++)
        {
            text.Append(wire[i] == '}' ? (char)(wire[++i] ^ 0x20) : wire[i]);
        }

        return text.ToString();
    }

    private int ReadByte(TimeSpan timeout)
    {
        _client.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        int b = _stream.ReadByte();
        Assert.True(b >= 0, "the server closed the connection");
        return b;
    }
}
