using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// Access checks, permissions, ownership, times, sizes, syncing and advisory locks. All structures involved
/// (struct timespec[2]) have the same layout on arm64 and the host.
/// </summary>
internal static unsafe class AttributeSyscalls
{
    private const int TimespecPairSize = 32;
    private const ulong AtFdCwd = unchecked((ulong)GuestPaths.AtFdCwd);

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Faccessat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.FaccessAt(dir, p, (int)x.A2, 0), lookup: true));
        table.Register(SyscallNumber.Faccessat2, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.FaccessAt(dir, p, (int)x.A2, (int)x.A3), lookup: true));
        table.Register(SyscallNumber.Fchmod, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.Fchmod(fd, (uint)x.A1)));
        table.Register(SyscallNumber.Fchmodat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.FchmodAt(dir, p, (uint)x.A2, 0)));
        table.Register(SyscallNumber.Fchown, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.Fchown(fd, (uint)x.A1, (uint)x.A2)));
        table.Register(SyscallNumber.Fchownat, static (t, in a) => PathCall.At(t, a, a.A0, a.A1, static (dir, p, x) => HostLibc.FchownAt(dir, p, (uint)x.A2, (uint)x.A3, (int)x.A4)));
        table.Register(SyscallNumber.Utimensat, Utimensat);
        table.Register(SyscallNumber.Truncate, static (t, in a) => PathCall.At(t, a, AtFdCwd, a.A0, static (_, p, x) => HostLibc.Truncate(p, (long)x.A1)));
        table.Register(SyscallNumber.Ftruncate, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.Ftruncate(fd, (long)x.A1)));
        table.Register(SyscallNumber.Fallocate, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.Fallocate(fd, (int)x.A1, (long)x.A2, (long)x.A3)));
        table.Register(SyscallNumber.Fsync, static (t, in a) => FdCall.On(t, a, static (fd, _) => HostLibc.Fsync(fd)));
        table.Register(SyscallNumber.Fdatasync, static (t, in a) => FdCall.On(t, a, static (fd, _) => HostLibc.Fdatasync(fd)));
        table.Register(SyscallNumber.Syncfs, static (t, in a) => FdCall.On(t, a, static (fd, _) => HostLibc.Syncfs(fd)));
        table.Register(SyscallNumber.SyncFileRange, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.SyncFileRange(fd, (long)x.A1, (long)x.A2, (uint)x.A3)));
        table.Register(SyscallNumber.Sync, static (_, in _) =>
        {
            HostLibc.Sync();
            return 0;
        });
        table.Register(SyscallNumber.Flock, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostLibc.Flock(fd, (int)x.A1)));
    }

    private static long Utimensat(LinuxThread thread, in SyscallArguments args)
    {
        byte* times = null;
        if (args.A2 != 0)
        {
            int error = UserBuffers.Whole(thread.Process.Memory, args.A2, TimespecPairSize, PagePermissions.Read, out times);
            if (error != 0)
            {
                return error;
            }
        }

        nint timesAddress = (nint)times;
        if (args.A1 == 0)
        {
            // A null path means the descriptor itself (futimens); the C library refuses a null path, so ask by fd.
            if ((int)args.A0 == GuestPaths.AtFdCwd)
            {
                return -Errno.EFAULT;
            }

            if ((int)args.A3 != 0)
            {
                return -Errno.EINVAL;
            }

            return thread.Process.Files.TryGetHostFd((int)args.A0, out int fd) ? HostResult.Of(HostLibc.Futimens(fd, times)) : -Errno.EBADF;
        }

        return PathCall.At(thread, args, args.A0, args.A1, (dir, p, x) => HostLibc.UtimensAt(dir, p, (byte*)timesAddress, (int)x.A3), lookup: true);
    }
}
