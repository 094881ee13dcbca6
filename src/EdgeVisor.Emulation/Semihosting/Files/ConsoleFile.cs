namespace EdgeVisor.Emulation.Semihosting.Files;

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
