using System.Net.Sockets;
using System.Text;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Control;

/// <summary>
/// One request to the agent's control socket and its answer: the <see cref="Reply"/> line, then (logs) console
/// lines from <see cref="ReadLineAsync"/> until the agent closes the connection. What <c>edgevisor ps</c> and
/// <c>edgevisor logs</c> use.
/// </summary>
public sealed class ControlClient : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;

    private ControlClient(Socket socket, StreamReader reader, ControlReply reply)
    {
        _socket = socket;
        _reader = reader;
        Reply = reply;
    }

    /// <summary>Where the agent listens unless configured otherwise (<see cref="AgentOptions.ControlSocket"/>'s default).</summary>
    public static string DefaultSocket { get; } = new AgentOptions().ControlSocket!;

    /// <summary>The agent's answer (its status says whether anything follows).</summary>
    public ControlReply Reply { get; }

    /// <summary>
    /// Connects to <paramref name="socketPath"/>, sends <paramref name="request"/> and reads the reply line. Throws
    /// <see cref="ControlClientException"/> when no agent answers, the socket is not ours to use, or the answer is
    /// not a reply.
    /// </summary>
    public static async Task<ControlClient> SendAsync(string socketPath, ControlRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        ArgumentNullException.ThrowIfNull(request);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw e.SocketErrorCode == SocketError.AccessDenied
                    ? new ControlClientException(ControlFailure.NoPermission, $"permission denied on {socketPath} (the agent's control socket is root only)")
                    : new ControlClientException(ControlFailure.NoAgent, $"no agent is answering on {socketPath} (is edgevisor-agent running?)");
            }

            var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(ProtocolJson.Serialize(request), ct).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            string? header;
            try
            {
                header = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new ControlClientException(ControlFailure.NoAgent, $"the agent on {socketPath} closed the connection without answering: {e.Message}");
            }

            if (header is null)
            {
                throw new ControlClientException(ControlFailure.NoAgent, $"the agent on {socketPath} closed the connection without answering");
            }

            ControlReply reply;
            try
            {
                reply = ProtocolJson.Parse<ControlReply>(Encoding.UTF8.GetBytes(header));
            }
            catch (ProtocolException e)
            {
                throw new ControlClientException(ControlFailure.BadReply, $"{socketPath} did not answer as an edgevisor agent does: {e.Message}");
            }

            return new ControlClient(socket, reader, reply);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next console line; null when the agent has closed the connection.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        try
        {
            return await _reader.ReadLineAsync(ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Reset by the agent (it stopped): the same as an end.
            return null;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _socket.Dispose();
    }
}

/// <summary>Why a control request got no answer.</summary>
public enum ControlFailure
{
    /// <summary>No socket, nobody listening, or the connection ended before a reply.</summary>
    NoAgent,

    /// <summary>The socket is root only and this user is not root.</summary>
    NoPermission,

    /// <summary>Something answered, but not with a control reply.</summary>
    BadReply,
}

/// <summary>A control request failed before the agent answered it; the message is one line.</summary>
public sealed class ControlClientException : Exception
{
    public ControlClientException()
    {
    }

    public ControlClientException(string message)
        : base(message)
    {
    }

    public ControlClientException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ControlClientException(ControlFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    public ControlFailure Failure { get; }
}
