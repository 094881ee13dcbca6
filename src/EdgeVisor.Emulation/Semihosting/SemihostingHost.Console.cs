namespace EdgeVisor.Emulation.Semihosting;

/// <summary>The debug console: SYS_WRITEC, SYS_WRITE0, SYS_READC.</summary>
public sealed partial class SemihostingHost
{
    private Stream? DebugConsole => _options.DebugConsole ?? _options.Stderr;

    // Parameter: address of one character.
    private long WriteC(ulong address)
    {
        Span<byte> c = stackalloc byte[1];
        _memory.ReadInto(address, c);
        WriteDebug(c);
        return 0;
    }

    // Parameter: address of a NUL-terminated string.
    private long Write0(ulong address)
    {
        WriteDebug(_memory.ReadCString(address));
        return 0;
    }

    // Returns the next byte of stdin, or -1 at end of input.
    private long ReadC(ulong parameter) => _options.Stdin?.ReadByte() ?? -1;

    private void WriteDebug(ReadOnlySpan<byte> bytes)
    {
        if (DebugConsole is { } stream)
        {
            stream.Write(bytes);
            stream.Flush();
        }
    }
}
