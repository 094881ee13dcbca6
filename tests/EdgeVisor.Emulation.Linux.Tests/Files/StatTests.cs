using EdgeVisor.Emulation.Linux.Kernel;
using System.Globalization;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatTests : IDisposable
{
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Fstat_fills_the_arm64_generic_layout_with_the_hosts_values()
    {
        string path = _h.PathIn("st");
        File.WriteAllBytes(path, new byte[5000]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(path, new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));
        int fd = _h.Open(path, G.ORdOnly);
        ulong st = _h.Alloc(128);
        Assert.Equal(0, _h.Call(SyscallNumber.Fstat, (ulong)fd, st));

        // The host's own view, through coreutils stat: inode, device, links, uid, gid, blocks, block size.
        var host = HostStat(path, "%i %d %h %u %g %b %o");
        Assert.Equal(host[0], (ulong)_h.I64(st + 8));
        Assert.Equal(host[1], (ulong)_h.I64(st + 0));
        Assert.Equal(0x8000u | 0x1a0u, _h.U32(st + 16));           // S_IFREG | 0640
        Assert.Equal(host[2], _h.U32(st + 20));
        Assert.Equal(host[3], _h.U32(st + 24));
        Assert.Equal(host[4], _h.U32(st + 28));
        Assert.Equal(5000, _h.I64(st + 48));                       // st_size
        Assert.Equal(host[6], (ulong)_h.I32(st + 56));             // st_blksize
        Assert.Equal(host[5], (ulong)_h.I64(st + 64));             // st_blocks
        long expectedSeconds = new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(expectedSeconds, _h.I64(st + 88));            // st_mtime
        Assert.Equal(123456700, _h.I64(st + 96));                  // st_mtime_nsec
    }

    [Fact]
    public void Newfstatat_follows_or_not_and_supports_AT_EMPTY_PATH()
    {
        string target = _h.PathIn("t");
        File.WriteAllText(target, "12345");
        string link = _h.PathIn("l");
        File.CreateSymbolicLink(link, target);
        ulong st = _h.Alloc(128);

        Assert.Equal(0, _h.Call(SyscallNumber.Newfstatat, G.AtFdCwd, _h.String(link), st, 0));
        Assert.Equal(0x8000u, _h.U32(st + 16) & 0xf000);
        Assert.Equal(0, _h.Call(SyscallNumber.Newfstatat, G.AtFdCwd, _h.String(link), st, 0x100)); // AT_SYMLINK_NOFOLLOW
        Assert.Equal(0xa000u, _h.U32(st + 16) & 0xf000);

        int fd = _h.Open(target, G.ORdOnly);
        Assert.Equal(0, _h.Call(SyscallNumber.Newfstatat, (ulong)fd, _h.String(""), st, 0x1000));
        Assert.Equal(5, _h.I64(st + 48));
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Newfstatat, (ulong)fd, _h.String(""), st, 0));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Newfstatat, G.AtFdCwd, _h.String(target), SyscallHarness.ReadOnlyPage, 0));
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Newfstatat, G.AtFdCwd, _h.String(_h.PathIn("none")), st, 0));
    }

    [Fact]
    public void Statx_is_passed_through_unchanged()
    {
        string path = _h.PathIn("sx");
        File.WriteAllBytes(path, new byte[77]);
        ulong buffer = _h.Alloc(256);
        Assert.Equal(0, _h.Call(SyscallNumber.Statx, G.AtFdCwd, _h.String(path), 0, 0x7ff, buffer));
        Assert.Equal(77, _h.I64(buffer + 40));
        Assert.Equal(HostStat(path, "%i")[0], (ulong)_h.I64(buffer + 32));
    }

    [Fact]
    public void Statfs_reports_the_host_filesystem()
    {
        ulong buffer = _h.Alloc(120);
        Assert.Equal(0, _h.Call(SyscallNumber.Statfs, _h.String(_h.TempDir), buffer));
        var host = HostStat(_h.TempDir, "%t %S", fileSystem: true);
        Assert.Equal(host[0], (ulong)_h.I64(buffer));
        Assert.Equal(host[1], (ulong)_h.I64(buffer + 8));
        int fd = _h.Open(_h.TempDir, G.ORdOnly | G.ODirectory);
        ulong second = _h.Alloc(120);
        Assert.Equal(0, _h.Call(SyscallNumber.Fstatfs, (ulong)fd, second));
        Assert.Equal(_h.Read(buffer, 16), _h.Read(second, 16));
    }

    private static ulong[] HostStat(string path, string format, bool fileSystem = false)
    {
        string[] args = fileSystem ? ["-f", "-c", format, path] : ["-c", format, path];
        var result = ProcessRunner.Run("stat", args, Path.GetTempPath(), TimeSpan.FromSeconds(10));
        Assert.Equal(0, result.ExitCode);
        string[] fields = ProcessRunner.AsText(result.Stdout).Split(' ', StringSplitOptions.TrimEntries);
        string[] specifiers = format.Split(' ');
        // %t (file system type) is printed in hex; everything else in decimal.
        return fields.Select((f, i) => specifiers[i] == "%t" ? ulong.Parse(f, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    }
}
