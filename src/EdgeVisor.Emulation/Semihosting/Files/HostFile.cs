namespace EdgeVisor.Emulation.Semihosting.Files;

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
