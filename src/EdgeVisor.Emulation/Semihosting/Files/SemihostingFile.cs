namespace EdgeVisor.Emulation.Semihosting.Files;

/// <summary>
/// Something a semihosting handle refers to: a console stream, a host file, or the
/// ":semihosting-features" pseudo-file. Operations a kind does not support fail with an errno.
/// </summary>
internal abstract class SemihostingFile
{
    /// <summary>What SYS_ISTTY answers.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; fewer only at end of file (or what a console has).</summary>
    public virtual int Read(Span<byte> buffer) => throw new SemihostingErrorException(SemihostingErrno.BadHandle);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public virtual void Write(ReadOnlySpan<byte> data) => throw new SemihostingErrorException(SemihostingErrno.BadHandle);

    /// <summary>Moves to an absolute position.</summary>
    public virtual void Seek(long position) => throw new SemihostingErrorException(SemihostingErrno.IllegalSeek);

    /// <summary>Length in bytes.</summary>
    public virtual long Length => throw new SemihostingErrorException(SemihostingErrno.IllegalSeek);

    /// <summary>Releases host resources; console streams stay open (the host owns them).</summary>
    public virtual void Close()
    {
    }
}

/// <summary>One of the console streams behind ":tt".</summary>
internal sealed class ConsoleFile(Stream? stream, bool forReading, bool isTerminal) : SemihostingFile
{
    public override bool IsTerminal => isTerminal;

    // newlib's fstat() is SYS_FLEN: if it failed, stdio would never line-buffer a terminal. QEMU
    // answers with the host stream's size, which is 0 for a terminal or a pipe.
    public override long Length => 0;

    public override int Read(Span<byte> buffer)
    {
        if (!forReading)
        {
            throw new SemihostingErrorException(SemihostingErrno.BadHandle);
        }

        // A console returns what it has (a line on a terminal), like read(2) on a tty.
        return stream is null || buffer.IsEmpty ? 0 : stream.Read(buffer);
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (forReading)
        {
            throw new SemihostingErrorException(SemihostingErrno.BadHandle);
        }

        if (stream is not null)
        {
            stream.Write(data);
            stream.Flush();
        }
    }
}

/// <summary>A host file opened by SYS_OPEN.</summary>
internal sealed class HostFile(FileStream stream, bool append) : SemihostingFile
{
    public override int Read(Span<byte> buffer)
    {
        if (!stream.CanRead)
        {
            throw new SemihostingErrorException(SemihostingErrno.BadHandle);
        }

        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (!stream.CanWrite)
        {
            throw new SemihostingErrorException(SemihostingErrno.BadHandle);
        }

        if (append)
        {
            stream.Seek(0, SeekOrigin.End);
        }

        stream.Write(data);
        stream.Flush();
    }

    public override void Seek(long position) => stream.Seek(position, SeekOrigin.Begin);

    public override long Length => stream.Length;

    public override void Close() => stream.Dispose();
}

/// <summary>
/// ":semihosting-features": the magic "SHFB" and one feature byte. newlib reads it to decide
/// whether exit(n) may use SYS_EXIT_EXTENDED and whether stderr gets its own ":tt" handle.
/// </summary>
internal sealed class FeaturesFile : SemihostingFile
{
    /// <summary>Feature byte 0: bit 0 SH_EXT_EXIT_EXTENDED, bit 1 SH_EXT_STDOUT_STDERR (what QEMU 7.2 reports).</summary>
    public static readonly byte[] Content = [(byte)'S', (byte)'H', (byte)'F', (byte)'B', 0b11];

    private long _position;

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Clamp(Content.Length - _position, 0, buffer.Length);
        Content.AsSpan((int)_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Seek(long position) => _position = position;

    public override long Length => Content.Length;
}
