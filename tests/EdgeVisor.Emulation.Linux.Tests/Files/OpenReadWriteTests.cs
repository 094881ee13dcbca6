using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OpenReadWriteTests : IDisposable
{
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Written_bytes_reach_the_host_file_and_read_back()
    {
        string path = _h.PathIn("data.txt");
        int fd = _h.Open(path, G.OCreat | G.ORdWr | G.OTrunc, 0x180);
        ulong text = _h.String("hello, world");
        Assert.Equal(12, _h.Call(SyscallNumber.Write, (ulong)fd, text, 12));
        Assert.Equal("hello, world", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        Assert.Equal(7, _h.Call(SyscallNumber.Lseek, (ulong)fd, 7, 0));
        ulong buffer = _h.Alloc(32);
        Assert.Equal(5, _h.Call(SyscallNumber.Read, (ulong)fd, buffer, 32));
        Assert.Equal("world", Encoding.ASCII.GetString(_h.Read(buffer, 5)));
        Assert.Equal(0, _h.Call(SyscallNumber.Read, (ulong)fd, buffer, 32));

        Assert.Equal(5, _h.Call(SyscallNumber.Pread64, (ulong)fd, buffer, 5, 0));
        Assert.Equal("hello", Encoding.ASCII.GetString(_h.Read(buffer, 5)));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Pread64, (ulong)fd, buffer, 5, unchecked((ulong)-1)));
    }

    [Fact]
    public void Open_errors_pass_through_from_the_host()
    {
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String(_h.PathIn("missing")), G.ORdOnly));
        string path = _h.PathIn("exists");
        File.WriteAllText(path, "x");
        Assert.Equal(-Errno.EEXIST, _h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String(path), G.OCreat | G.OExcl | G.OWrOnly));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Openat, G.AtFdCwd, SyscallHarness.Unmapped, G.ORdOnly));
        Assert.Equal(-Errno.ENOSYS, _h.Call(SyscallNumber.Openat2, G.AtFdCwd, _h.String(path), 0, 24));
    }

    [Fact]
    public void Arm64_O_DIRECTORY_and_O_NOFOLLOW_mean_what_they_mean_on_arm64()
    {
        string file = _h.PathIn("plain");
        File.WriteAllText(file, "x");
        string link = _h.PathIn("link");
        File.CreateSymbolicLink(link, file);

        // On an x86-64 host these bit values are O_DIRECT and O_LARGEFILE: untranslated, both opens would succeed.
        Assert.Equal(-Errno.ENOTDIR, _h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String(file), G.ORdOnly | G.ODirectory));
        Assert.Equal(-Errno.ELOOP, _h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String(link), G.ORdOnly | G.ONoFollow));
        Assert.True(_h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String(_h.TempDir), G.ORdOnly | G.ODirectory) >= 3);
    }

    [Fact]
    public void F_GETFL_reports_arm64_flag_values()
    {
        int fd = _h.Open(_h.PathIn("fl"), G.OCreat | G.ORdWr | G.OAppend);
        long flags = _h.Call(SyscallNumber.Fcntl, (ulong)fd, 3);
        Assert.Equal(G.ORdWr | G.OAppend | G.OLargeFile, flags);
        Assert.Equal(0, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 4, G.ONonBlock));
        Assert.Equal(G.ORdWr | G.ONonBlock | G.OLargeFile, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 3));
    }

    [Fact]
    public void Openat_resolves_relative_paths_against_a_directory_descriptor()
    {
        File.WriteAllText(_h.PathIn("inner"), "inside");
        int dir = _h.Open(_h.TempDir, G.ORdOnly | G.ODirectory);
        long fd = _h.Call(SyscallNumber.Openat, (ulong)dir, _h.String("inner"), G.ORdOnly);
        Assert.True(fd > dir);
        ulong buffer = _h.Alloc(16);
        Assert.Equal(6, _h.Call(SyscallNumber.Read, (ulong)fd, buffer, 16));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Openat, 55, _h.String("inner"), G.ORdOnly));
        // An absolute path ignores the directory descriptor, even a bad one.
        Assert.True(_h.Call(SyscallNumber.Openat, 55, _h.String(_h.PathIn("inner")), G.ORdOnly) >= 0);
    }

    [Fact]
    public void Reading_into_read_only_or_unmapped_memory_is_EFAULT_and_a_partial_buffer_is_cut()
    {
        string path = _h.PathIn("f");
        File.WriteAllBytes(path, new byte[8192]);
        int fd = _h.Open(path, G.ORdOnly);
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Read, (ulong)fd, SyscallHarness.ReadOnlyPage, 16));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Read, (ulong)fd, SyscallHarness.Unmapped, 16));
        Assert.Equal(0, _h.Call(SyscallNumber.Read, (ulong)fd, SyscallHarness.Unmapped, 0));
        // The last 100 bytes of the scratch area, then a hole: only those 100 bytes are read.
        ulong nearEnd = SyscallHarness.Scratch + SyscallHarness.ScratchSize - 100;
        Assert.Equal(100, _h.Call(SyscallNumber.Read, (ulong)fd, nearEnd, 4096));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Write, (ulong)fd, SyscallHarness.Unmapped, 1));
    }

    [Fact]
    public void Vectored_io_gathers_and_scatters_across_buffers()
    {
        string path = _h.PathIn("v");
        int fd = _h.Open(path, G.OCreat | G.ORdWr);
        ulong a = _h.String("abc"), b = _h.String("defg");
        ulong iov = _h.Alloc(48);
        WriteIovec(iov, 0, a, 3);
        WriteIovec(iov, 1, 0, 0);
        WriteIovec(iov, 2, b, 4);
        Assert.Equal(7, _h.Call(SyscallNumber.Writev, (ulong)fd, iov, 3));
        Assert.Equal("abcdefg", File.ReadAllText(path));

        ulong x = _h.Alloc(2), y = _h.Alloc(8);
        WriteIovec(iov, 0, x, 2);
        WriteIovec(iov, 1, y, 8);
        Assert.Equal(6, _h.Call(SyscallNumber.Preadv, (ulong)fd, iov, 2, 1));
        Assert.Equal("bc", Encoding.ASCII.GetString(_h.Read(x, 2)));
        Assert.Equal("defg", Encoding.ASCII.GetString(_h.Read(y, 4)));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Readv, (ulong)fd, iov, 1025));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Readv, (ulong)fd, SyscallHarness.Unmapped, 1));

        // preadv2 with offset -1 reads at (and advances) the file position.
        Assert.Equal(0, _h.Call(SyscallNumber.Lseek, (ulong)fd, 0, 0));
        Assert.Equal(7, _h.Call(SyscallNumber.Preadv2, (ulong)fd, iov, 2, unchecked((ulong)-1), 0, 0));
        Assert.Equal(7, _h.Call(SyscallNumber.Lseek, (ulong)fd, 0, 1));
    }

    private void WriteIovec(ulong array, int index, ulong address, ulong length)
    {
        Assert.True(_h.Memory.TryWriteUInt64(array + (ulong)(16 * index), address));
        Assert.True(_h.Memory.TryWriteUInt64(array + (ulong)(16 * index) + 8, length));
    }
}
