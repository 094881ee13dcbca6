using System.Text;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// Names in directories: getdents64, getcwd, chdir, fchdir, mkdirat, mknodat, unlinkat, renameat(2), linkat,
/// symlinkat, readlinkat. The guest's working directory is the host process's (one guest process per host process).
/// Calls that create, remove or rename act on host paths; only lookups use the sysroot (as qemu-user's -L does).
/// </summary>
internal static unsafe class DirectorySyscalls
{
    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Getdents64, Getdents64);
        table.Register(SyscallNumber.Getcwd, Getcwd);
        table.Register(SyscallNumber.Chdir, Chdir);
        table.Register(SyscallNumber.Fchdir, static (t, in a) => FdCall.On(t, a, static (fd, _) => HostLibc.Fchdir(fd)));
        table.Register(SyscallNumber.Mkdirat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.MkdirAt(dir, p, (uint)x.A2)));
        table.Register(SyscallNumber.Mknodat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.MknodAt(dir, p, (uint)x.A2, (uint)x.A3)));
        table.Register(SyscallNumber.Unlinkat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.UnlinkAt(dir, p, (int)x.A2)));
        table.Register(SyscallNumber.Renameat, static (t, in a) => PathCall.Two(t, a, static (d1, p1, d2, p2, _) => HostLibc.RenameAt2(d1, p1, d2, p2, 0)));
        table.Register(SyscallNumber.Renameat2, static (t, in a) => PathCall.Two(t, a, static (d1, p1, d2, p2, x) => HostLibc.RenameAt2(d1, p1, d2, p2, (uint)x.A4)));
        table.Register(SyscallNumber.Linkat, static (t, in a) => PathCall.Two(t, a, static (d1, p1, d2, p2, x) => HostLibc.LinkAt(d1, p1, d2, p2, (int)x.A4)));
        table.Register(SyscallNumber.Symlinkat, Symlinkat);
        table.Register(SyscallNumber.Readlinkat, Readlinkat);
    }

    private static long Getdents64(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        // struct linux_dirent64 is the same everywhere, so the host fills the guest's buffer directly.
        int error = UserBuffers.Writable(thread.Process.Memory, args.A1, args.A2, out byte* buffer, out int length);
        return error != 0 ? error : HostResult.Of(HostLibc.Getdents64(fd, buffer, (nuint)length));
    }

    private static long Getcwd(LinuxThread thread, in SyscallArguments args)
    {
        byte* buffer = stackalloc byte[UserMemory.PathMax];
        if (HostLibc.Getcwd(buffer, UserMemory.PathMax) == null)
        {
            return HostResult.LastError();
        }

        var cwd = new ReadOnlySpan<byte>(buffer, UserMemory.PathMax);
        int length = cwd.IndexOf((byte)0) + 1;
        if ((ulong)length > args.A1)
        {
            return -Errno.ERANGE;
        }

        // The kernel's getcwd returns the length including the terminator.
        return thread.Process.Memory.TryWrite(args.A0, cwd[..length]) ? length : -Errno.EFAULT;
    }

    private static long Chdir(LinuxThread thread, in SyscallArguments args)
    {
        int error = GuestPaths.Read(thread.Process.Memory, args.A0, out byte[] path);
        if (error != 0)
        {
            return error;
        }

        fixed (byte* p = path)
        {
            return HostResult.Of(HostLibc.Chdir(p));
        }
    }

    private static long Symlinkat(LinuxThread thread, in SyscallArguments args)
    {
        // The link's content is stored verbatim: it is the guest's text, resolved later by whoever follows the link.
        int error = GuestPaths.Read(thread.Process.Memory, args.A0, out byte[] target);
        if (error != 0)
        {
            return error;
        }

        return PathCall.At(thread, args, args.A1, args.A2, (dir, p, _) =>
        {
            fixed (byte* t = target)
            {
                return HostLibc.SymlinkAt(t, dir, p);
            }
        });
    }

    private static long Readlinkat(LinuxThread thread, in SyscallArguments args)
    {
        var process = thread.Process;
        if ((long)args.A3 <= 0 || args.A3 > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        int error = GuestPaths.Read(process.Memory, args.A1, out byte[] guestPath);
        if (error != 0)
        {
            return error;
        }

        int size = (int)Math.Min(args.A3, UserMemory.PathMax);
        if (GuestPaths.IsOwnProcEntry(guestPath.AsSpan(0, guestPath.Length - 1), "exe"u8) && process.ExecutablePath is { } exe)
        {
            byte[] name = Encoding.UTF8.GetBytes(Path.GetFullPath(exe));
            int count = Math.Min(name.Length, size);
            return process.Memory.TryWrite(args.A2, name.AsSpan(0, count)) ? count : -Errno.EFAULT;
        }

        error = GuestPaths.HostDirFd(process, (int)args.A0, guestPath, out int hostDir);
        if (error != 0)
        {
            return error;
        }

        byte[] hostPath = GuestPaths.ToHost(process, guestPath);
        byte* buffer = stackalloc byte[size];
        long result;
        fixed (byte* p = hostPath)
        {
            result = HostResult.Of(HostLibc.ReadlinkAt(hostDir, p, buffer, (nuint)size));
        }

        if (result < 0)
        {
            return result;
        }

        return process.Memory.TryWrite(args.A2, new ReadOnlySpan<byte>(buffer, (int)result)) ? result : -Errno.EFAULT;
    }
}
