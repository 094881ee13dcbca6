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
