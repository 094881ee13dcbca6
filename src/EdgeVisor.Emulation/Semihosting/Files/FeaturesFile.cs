namespace EdgeVisor.Emulation.Semihosting.Files;

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
