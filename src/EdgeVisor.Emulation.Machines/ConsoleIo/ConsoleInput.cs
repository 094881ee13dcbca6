using System.Collections.Concurrent;

namespace EdgeVisor.Emulation.Machines.ConsoleIo;

/// <summary>
/// The host side of the console's input: a background reader moves bytes from the host stream into a queue,
/// so the run loop never blocks on the host. The console UART takes bytes at slice boundaries; semihosting
/// stdin reads them through <see cref="Reader"/>, which does block (a semihosting read is a blocking call).
/// </summary>
internal sealed class ConsoleInput : IDisposable
{
    private readonly ConcurrentQueue<byte> _bytes = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private volatile bool _sourceEnded;

    public ConsoleInput(Stream? source)
    {
        HasSource = source is not null;
        _sourceEnded = source is null;
        Reader = new BlockingReader(this);
        if (source is not null)
        {
            var thread = new Thread(() => Pump(source)) { IsBackground = true, Name = "edgevisor console input" };
            thread.Start();
        }
    }

    /// <summary>True if the machine was given an input stream at all.</summary>
    public bool HasSource { get; }

    /// <summary>True once the host stream ended and every byte was taken: nothing more will ever arrive.</summary>
    public bool Exhausted => _sourceEnded && _bytes.IsEmpty;

    /// <summary>A stream view for semihosting stdin: reads wait for bytes and return 0 at the end of the input.</summary>
    public Stream Reader { get; }

    public bool TryTake(out byte value) => _bytes.TryDequeue(out value);

    public bool HasData => !_bytes.IsEmpty;

    /// <summary>Waits until a byte is queued or the input ends; false on timeout (<see cref="Timeout.InfiniteTimeSpan"/> waits for ever).</summary>
    public bool WaitForData(TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var step = TimeSpan.FromMilliseconds(50);
        while (_bytes.IsEmpty && !_sourceEnded)
        {
            var left = timeout == Timeout.InfiniteTimeSpan ? step : timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            _arrived.Wait(left < step ? left : step);
        }

        return true;
    }

    public void Dispose() => _arrived.Dispose();

    private void Pump(Stream source)
    {
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    _bytes.Enqueue(buffer[i]);
                }

                Signal();
            }
        }
        catch (IOException)
        {
            // A broken input pipe ends the input like end-of-file.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _sourceEnded = true;
            Signal();
        }
    }

    private void Signal()
    {
        try
        {
            _arrived.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class BlockingReader(ConsoleInput input) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0)
            {
                return 0;
            }

            input.WaitForData(Timeout.InfiniteTimeSpan);
            int n = 0;
            while (n < count && input.TryTake(out byte b))
            {
                buffer[offset + n++] = b;
                if (b == (byte)'\n')
                {
                    break; // a line at a time, like a terminal
                }
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
