using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

/// <summary>Terminal ioctls on a pseudo-terminal pair the guest opens itself.</summary>
public sealed class TerminalTests : IDisposable
{
    private const ulong TcGets = 0x5401, TcSets = 0x5402, TiocGWinSz = 0x5413, TiocSWinSz = 0x5414, TiocGPtn = 0x80045430, TiocSPtLck = 0x40045431;
    private const int ONoCtty = 0x100;
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_pseudo_terminal_answers_termios_and_window_size_requests()
    {
        int master = _h.Open("/dev/ptmx", G.ORdWr | ONoCtty);
        ulong value = _h.Alloc(4);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)master, TiocSPtLck, value)); // unlock (value 0)
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)master, TiocGPtn, value));
        int slave = _h.Open($"/dev/pts/{_h.I32(value)}", G.ORdWr | ONoCtty);

        ulong termios = _h.Alloc(36);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)slave, TcGets, termios));
        uint lflag = _h.U32(termios + 12);
        Assert.NotEqual(0u, lflag & 0x2); // ICANON is on for a fresh terminal
        _h.Memory.TryWriteInt32(termios + 12, (int)(lflag & ~0x2u & ~0x8u)); // raw-ish: no ICANON, no ECHO
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)slave, TcSets, termios));
        ulong again = _h.Alloc(36);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)slave, TcGets, again));
        Assert.Equal(0u, _h.U32(again + 12) & 0xa);

        ulong size = _h.Alloc(8);
        _h.Memory.TryWriteStruct(size, (ushort)42);
        _h.Memory.TryWriteStruct(size + 2, (ushort)132);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)master, TiocSWinSz, size));
        ulong read = _h.Alloc(8);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)slave, TiocGWinSz, read));
        Assert.Equal(_h.Read(size, 8), _h.Read(read, 8));

        // Bytes written on the slave come out of the master.
        Assert.Equal(2, _h.Call(SyscallNumber.Write, (ulong)slave, _h.String("ok"), 2));
        ulong buffer = _h.Alloc(8);
        Assert.Equal(2, _h.Call(SyscallNumber.Read, (ulong)master, buffer, 8));
    }
}
