using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

public sealed class DescriptorTableTests : IDisposable
{
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void New_descriptors_take_the_lowest_free_number()
    {
        string file = _h.PathIn("a");
        int a = _h.Open(file, G.OCreat | G.ORdWr);
        int b = _h.Open(file, G.ORdOnly);
        Assert.Equal(3, a);
        Assert.Equal(4, b);
        Assert.Equal(0, _h.Call(SyscallNumber.Close, (ulong)a));
        Assert.Equal(3, _h.Open(file, G.ORdOnly));
    }

    [Fact]
    public void Closing_a_closed_or_negative_descriptor_is_EBADF()
    {
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Close, 77));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Close, unchecked((ulong)-1)));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Read, 77, SyscallHarness.Scratch, 1));
    }

    [Fact]
    public void Dup_shares_the_file_offset_but_not_the_close_on_exec_flag()
    {
        int fd = _h.Open(_h.PathIn("d"), G.OCreat | G.ORdWr | G.OCloExec);
        long copy = _h.Call(SyscallNumber.Dup, (ulong)fd);
        Assert.Equal(fd + 1, copy);
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 1)); // F_GETFD
        Assert.Equal(0, _h.Call(SyscallNumber.Fcntl, (ulong)copy, 1));
        ulong text = _h.String("hello");
        Assert.Equal(5, _h.Call(SyscallNumber.Write, (ulong)fd, text, 5));
        Assert.Equal(5, _h.Call(SyscallNumber.Lseek, (ulong)copy, 0, 1)); // SEEK_CUR on the duplicate
        Assert.True(_h.Process.Files.TryGetHostFd(fd, out int hostA));
        Assert.True(_h.Process.Files.TryGetHostFd((int)copy, out int hostB));
        Assert.NotEqual(hostA, hostB);
    }

    [Fact]
    public void Dup3_replaces_the_target_and_rejects_same_descriptor_and_bad_flags()
    {
        int a = _h.Open(_h.PathIn("x"), G.OCreat | G.ORdWr);
        int b = _h.Open(_h.PathIn("y"), G.OCreat | G.ORdWr);
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Dup3, (ulong)a, (ulong)a, 0));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Dup3, (ulong)a, (ulong)b, 1));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Dup3, 99, (ulong)b, 0));
        Assert.Equal(b, _h.Call(SyscallNumber.Dup3, (ulong)a, (ulong)b, G.OCloExec));
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)b, 1));
        ulong text = _h.String("via b");
        Assert.Equal(5, _h.Call(SyscallNumber.Write, (ulong)b, text, 5));
        Assert.Equal("via b", File.ReadAllText(_h.PathIn("x")));
        Assert.Equal("", File.ReadAllText(_h.PathIn("y")));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Dup3, (ulong)a, 1 << 30, 0));
    }

    [Fact]
    public void Fcntl_dupfd_honours_the_minimum_and_the_cloexec_variant()
    {
        int fd = _h.Open(_h.PathIn("m"), G.OCreat | G.ORdWr);
        Assert.Equal(10, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 0, 10));
        Assert.Equal(11, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 1030, 10));
        Assert.Equal(0, _h.Call(SyscallNumber.Fcntl, 10, 1));
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, 11, 1));
        Assert.Equal(0, _h.Call(SyscallNumber.Fcntl, 10, 2, 1)); // F_SETFD FD_CLOEXEC
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, 10, 1));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 0, 1 << 30));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 0x7777));
    }

    [Fact]
    public void Close_range_closes_or_marks_cloexec_and_exec_closes_marked_descriptors()
    {
        for (int i = 0; i < 4; i++)
        {
            _h.Open(_h.PathIn("r"), G.OCreat | G.ORdWr);
        }

        Assert.Equal(0, _h.Call(SyscallNumber.CloseRange, 5, 6, 4)); // CLOSE_RANGE_CLOEXEC
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, 5, 1));
        Assert.Equal(0, _h.Call(SyscallNumber.CloseRange, 3, 3, 0));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Fcntl, 3, 1));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.CloseRange, 6, 5, 0));

        _h.Process.Files.CloseOnExecDescriptors();
        var open = _h.Process.Files.Snapshot().Select(e => e.GuestFd).ToArray();
        Assert.Equal([0, 1, 2, 4], open);
    }

    [Fact]
    public void Snapshot_lists_host_descriptors_and_flags_and_restore_adopts_them()
    {
        int fd = _h.Open(_h.PathIn("s"), G.OCreat | G.ORdWr | G.OCloExec);
        var entry = _h.Process.Files.Snapshot().Single(e => e.GuestFd == fd);
        Assert.True(entry.CloseOnExec);
        Assert.True(entry.HostFd > 2);

        var table = new EdgeVisor.Emulation.Linux.Files.FileDescriptorTable();
        table.Restore([entry with { GuestFd = 40 }]);
        Assert.True(table.TryGetHostFd(40, out int host));
        Assert.Equal(entry.HostFd, host);
        Assert.False(table.TryGetHostFd(fd, out _));
    }
}
