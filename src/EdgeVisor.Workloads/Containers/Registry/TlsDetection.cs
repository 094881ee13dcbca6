using System.Net.Sockets;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Tells "the server does not speak TLS" apart from every other failed handshake (a bad certificate, no common
/// protocol): the first byte a TLS server sends starts a TLS record (a handshake or an alert), while a plain HTTP
/// server answers the ClientHello with text such as <c>HTTP/1.1 400</c>. The connect callback of the registry
/// clients watches that byte on HTTPS connections and marks the request that opened the connection.
/// </summary>
internal static class TlsDetection
{
    private const byte AlertRecord = 21;
    private const byte HandshakeRecord = 22;

    private static readonly HttpRequestOptionsKey<bool> NotTls = new("EdgeVisor.Registry.ServerSpokeNotTls");

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: a TCP connection, watched when it will carry TLS.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        HttpRequestMessage request = context.InitialRequestMessage;
        return request.RequestUri?.Scheme == Uri.UriSchemeHttps ? new FirstByteStream(stream, request) : stream;
    }

    /// <summary>Whether the server <paramref name="request"/> connected to answered its TLS hello with something other than TLS.</summary>
    public static bool ServerSpokeNotTls(HttpRequestMessage request) => request.Options.TryGetValue(NotTls, out bool notTls) && notTls;

    /// <summary>Passes everything through; looks once at the first byte the server sends.</summary>
    private sealed class FirstByteStream(NetworkStream inner, HttpRequestMessage request) : Stream
    {
        private bool _seen;

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Watch(buffer, inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Watch(buffer.Span, read);
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private int Watch(Span<byte> buffer, int read)
        {
            if (!_seen && read > 0)
            {
                _seen = true;
                if (buffer[0] is not (HandshakeRecord or AlertRecord))
                {
                    request.Options.Set(NotTls, true);
                }
            }

            return read;
        }
    }
}
