using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Tells "the server does not speak TLS" apart from every other failed handshake (a bad certificate, no common
/// protocol): the first byte a TLS server sends starts a TLS record (a handshake or an alert), while a plain HTTP
/// server answers the ClientHello with text such as <c>HTTP/1.1 400</c>, or closes. Asked only after an HTTPS request
/// failed its handshake, on a connection of its own, so it works whatever HttpClient the registry client was given.
/// </summary>
internal static class TlsDetection
{
    private const byte AlertRecord = 21;
    private const byte HandshakeRecord = 22;

    /// <summary>Whether the server at <paramref name="server"/>'s host and port answers a TLS hello in TLS.</summary>
    public static async Task<bool> SpeaksTlsAsync(Uri server, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.IdnHost, server.Port, ct).ConfigureAwait(false);
        var watched = new FirstByteStream(new NetworkStream(socket, ownsSocket: false));
        var tls = new SslStream(watched, leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = server.IdnHost }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                // Expected when the certificate is not trusted or the server is no TLS server: the first byte decides.
            }
        }

        return watched.FirstByte is HandshakeRecord or AlertRecord;
    }

    /// <summary>Passes everything through; looks once at the first byte the server sends.</summary>
    private sealed class FirstByteStream(NetworkStream inner) : Stream
    {
        /// <summary>The first byte the server sent (null: none yet).</summary>
        public byte? FirstByte { get; private set; }

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
            if (FirstByte is null && read > 0)
            {
                FirstByte = buffer[0];
            }

            return read;
        }
    }
}
