using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

public sealed class PathTranslationTests : IDisposable
{
    private readonly string _sysroot = Directory.CreateTempSubdirectory("edgevisor-sysroot-").FullName;
    private readonly SyscallHarness _h;

    public PathTranslationTests()
    {
        _h = new SyscallHarness(_sysroot);
    }

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_sysroot, recursive: true);
    }

    [Fact]
    public void An_absolute_path_present_in_the_sysroot_is_opened_from_there_else_from_the_host()
    {
        // The host file exists at TempDir/f; the sysroot holds a different file under the same absolute name.
        string hostFile = _h.PathIn("f");
        File.WriteAllText(hostFile, "host");
        string shadow = _sysroot + hostFile;
        Directory.CreateDirectory(Path.GetDirectoryName(shadow)!);
        File.WriteAllText(shadow, "sysroot");
        File.WriteAllText(_h.PathIn("only-host"), "only host");

        Assert.Equal("sysroot", ReadAll(_h.Open(hostFile, G.ORdOnly)));
        Assert.Equal("only host", ReadAll(_h.Open(_h.PathIn("only-host"), G.ORdOnly)));

        // Creating and removing names never goes to the sysroot.
        Assert.Equal(0, _h.Call(SyscallNumber.Unlinkat, G.AtFdCwd, _h.String(hostFile), 0));
        Assert.False(File.Exists(hostFile));
        Assert.True(File.Exists(shadow));
    }

    [Fact]
    public void Proc_self_exe_is_the_guest_executable()
    {
        string exe = _h.PathIn("guest-program");
        File.WriteAllText(exe, "ELF?");
        _h.Process.ExecutablePath = exe;
        ulong buffer = _h.Alloc(4096);
        long length = _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String("/proc/self/exe"), buffer, 4096);
        Assert.Equal(exe, Encoding.UTF8.GetString(_h.Read(buffer, (int)length)));
        Assert.Equal(length, _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String($"/proc/{Environment.ProcessId}/exe"), buffer, 4096));
        Assert.Equal("ELF?", ReadAll(_h.Open("/proc/self/exe", G.ORdOnly)));
    }

    [Fact]
    public void Proc_self_fd_and_dev_fd_name_the_guest_descriptor()
    {
        File.WriteAllText(_h.PathIn("target"), "through fd");
        int fd = _h.Open(_h.PathIn("target"), G.ORdOnly);
        ulong buffer = _h.Alloc(4096);
        long length = _h.Call(SyscallNumber.Readlinkat, G.AtFdCwd, _h.String($"/proc/self/fd/{fd}"), buffer, 4096);
        Assert.Equal(_h.PathIn("target"), Encoding.UTF8.GetString(_h.Read(buffer, (int)length)));
        Assert.Equal("through fd", ReadAll(_h.Open($"/dev/fd/{fd}", G.ORdOnly)));
        Assert.Equal(-Errno.ENOENT, _h.Call(SyscallNumber.Openat, G.AtFdCwd, _h.String("/proc/self/fd/99"), G.ORdOnly));
    }

    private string ReadAll(int fd)
    {
        ulong buffer = _h.Alloc(256);
        long n = _h.Call(SyscallNumber.Read, (ulong)fd, buffer, 256);
        Assert.True(n >= 0);
        return Encoding.UTF8.GetString(_h.Read(buffer, (int)n));
    }
}
