using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DirectoryTests : IDisposable
{
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Getdents64_lists_entries_in_the_linux_dirent64_layout()
    {
        Directory.CreateDirectory(_h.PathIn("sub"));
        File.WriteAllText(_h.PathIn("file"), "");
        int dir = _h.Open(_h.TempDir, G.ORdOnly | G.ODirectory);
        ulong buffer = _h.Alloc(4096);
        long length = _h.Call(SyscallNumber.Getdents64, (ulong)dir, buffer, 4096);
        Assert.True(length > 0);

        var entries = new Dictionary<string, byte>();
        byte[] bytes = _h.Read(buffer, (int)length);
        for (int offset = 0; offset < length;)
        {
            ushort recordLength = BitConverter.ToUInt16(bytes, offset + 16);
            byte type = bytes[offset + 18];
            int nameEnd = Array.IndexOf(bytes, (byte)0, offset + 19);
            entries[Encoding.UTF8.GetString(bytes, offset + 19, nameEnd - offset - 19)] = type;
            offset += recordLength;
        }

        Assert.Equal(4, entries[".."]); // DT_DIR
        Assert.Equal(4, entries["sub"]);
        Assert.Equal(8, entries["file"]); // DT_REG
        Assert.Equal(0, _h.Call(SyscallNumber.Getdents64, (ulong)dir, buffer, 4096));
        Assert.Equal(-Errno.ENOTDIR, _h.Call(SyscallNumber.Getdents64, (ulong)_h.Open(_h.PathIn("file"), G.ORdOnly), buffer, 4096));
    }

    [Fact]
    public void Create_rename_link_and_remove_act_on_host_names()
    {
        Assert.Equal(0, _h.Call(SyscallNumber.Mkdirat, G.AtFdCwd, _h.String(_h.PathIn("d")), 0x1ed));
        Assert.True(Directory.Exists(_h.PathIn("d")));
        Assert.Equal(-Errno.EEXIST, _h.Call(SyscallNumber.Mkdirat, G.AtFdCwd, _h.String(_h.PathIn("d")), 0x1ed));

        File.WriteAllText(_h.PathIn("a"), "content");
        int dir = _h.Open(_h.TempDir, G.ORdOnly | G.ODirectory);
        Assert.Equal(0, _h.Call(SyscallNumber.Renameat, (ulong)dir, _h.String("a"), (ulong)dir, _h.String("b")));
        Assert.Equal("content", File.ReadAllText(_h.PathIn("b")));
        Assert.Equal(0, _h.Call(SyscallNumber.Linkat, (ulong)dir, _h.String("b"), G.AtFdCwd, _h.String(_h.PathIn("c")), 0));
        Assert.Equal(0, _h.Call(SyscallNumber.Symlinkat, _h.String("b"), (ulong)dir, _h.String("s")));
        Assert.Equal("b", new FileInfo(_h.PathIn("s")).LinkTarget);

        // RENAME_NOREPLACE refuses to overwrite.
        Assert.Equal(-Errno.EEXIST, _h.Call(SyscallNumber.Renameat2, (ulong)dir, _h.String("b"), (ulong)dir, _h.String("c"), 1));
        Assert.Equal(0, _h.Call(SyscallNumber.Unlinkat, (ulong)dir, _h.String("c"), 0));
        Assert.False(File.Exists(_h.PathIn("c")));
        Assert.Equal(-Errno.EISDIR, _h.Call(SyscallNumber.Unlinkat, (ulong)dir, _h.String("d"), 0));
        Assert.Equal(0, _h.Call(SyscallNumber.Unlinkat, (ulong)dir, _h.String("d"), 0x200)); // AT_REMOVEDIR
        Assert.False(Directory.Exists(_h.PathIn("d")));
    }

    [Fact]
    public void Readlinkat_returns_the_target_without_a_terminator_and_truncates()
    {
        File.CreateSymbolicLink(_h.PathIn("l"), "some/target");
        ulong buffer = _h.Alloc(64);
        Assert.Equal(11, _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String(_h.PathIn("l")), buffer, 64));
        Assert.Equal("some/target", Encoding.ASCII.GetString(_h.Read(buffer, 11)));
        Assert.Equal(0, _h.Read(buffer + 11, 1)[0]);
        Assert.Equal(4, _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String(_h.PathIn("l")), buffer, 4));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String(_h.PathIn("l")), buffer, 0));
        File.WriteAllText(_h.PathIn("f"), "");
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String(_h.PathIn("f")), buffer, 64));
    }

    [Fact]
    public void Access_mode_times_and_size_changes_reach_the_host()
    {
        string path = _h.PathIn("attr");
        File.WriteAllText(path, "0123456789");
        Assert.Equal(0, _h.Call(SyscallNumber.Faccessat, G.AtFdCwd, _h.String(path), 4)); // R_OK
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Faccessat, G.AtFdCwd, _h.String(_h.PathIn("nope")), 0));
        Assert.Equal(0, _h.Call(SyscallNumber.Fchmodat, G.AtFdCwd, _h.String(path), 0x100)); // 0400
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Equal(0, _h.Call(SyscallNumber.Truncate, _h.String(path), 4));
        Assert.Equal(4, new FileInfo(path).Length);

        int fd = _h.Open(path, G.ORdOnly);
        ulong times = _h.Alloc(32);
        _h.Memory.TryWriteUInt64(times, 1_000_000_000);
        _h.Memory.TryWriteUInt64(times + 8, 0);
        _h.Memory.TryWriteUInt64(times + 16, 1_500_000_000);
        _h.Memory.TryWriteUInt64(times + 24, 0);
        Assert.Equal(0, _h.Call(SyscallNumber.Utimensat, (ulong)fd, 0, times, 0)); // futimens form
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_500_000_000).UtcDateTime, File.GetLastWriteTimeUtc(path));
        Assert.Equal(0, _h.Call(SyscallNumber.Utimensat, G.AtFdCwd, _h.String(path), 0, 0)); // now
        Assert.True(File.GetLastWriteTimeUtc(path) > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Utimensat, G.AtFdCwd, 0, 0, 0));
        Assert.Equal(0, _h.Call(SyscallNumber.Flock, (ulong)fd, 2)); // LOCK_EX
        Assert.Equal(0, _h.Call(SyscallNumber.Fsync, (ulong)fd));
    }
}

[CollectionDefinition(nameof(WorkingDirectoryCollection), DisableParallelization = true)]
public sealed class WorkingDirectoryCollection;

/// <summary>The guest's working directory is the host process's: these tests change it, so they run alone.</summary>
[Collection(nameof(WorkingDirectoryCollection))]
public sealed class WorkingDirectoryTests : IDisposable
{
    private readonly SyscallHarness _h = new();
    private readonly string _saved = Environment.CurrentDirectory;

    public void Dispose()
    {
        Environment.CurrentDirectory = _saved;
        _h.Dispose();
    }

    [Fact]
    public void Chdir_and_fchdir_change_what_getcwd_and_relative_opens_see()
    {
        string real = new DirectoryInfo(_h.TempDir).ResolveLinkTarget(true)?.FullName ?? _h.TempDir;
        File.WriteAllText(_h.PathIn("rel"), "r");
        Assert.Equal(0, _h.Call(SyscallNumber.Chdir, _h.String(_h.TempDir)));
        ulong buffer = _h.Alloc(4096);
        long length = _h.Call(SyscallNumber.Getcwd, buffer, 4096);
        Assert.Equal(real.Length + 1, length);
        Assert.Equal(real, Encoding.UTF8.GetString(_h.Read(buffer, (int)length - 1)));
        Assert.True(_h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String("rel"), G.ORdOnly) >= 3);
        Assert.Equal(-Errno.ERANGE, _h.Call(SyscallNumber.Getcwd, buffer, 2));

        int root = _h.Open("/", G.ORdOnly | G.ODirectory);
        Assert.Equal(0, _h.Call(SyscallNumber.Fchdir, (ulong)root));
        Assert.Equal(2, _h.Call(SyscallNumber.Getcwd, buffer, 4096));
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Chdir, _h.String(_h.PathIn("missing"))));
    }
}
