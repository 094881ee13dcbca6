using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>fstat, newfstatat, statx, statfs, fstatfs. The host is asked with statx, whose layout is the same on every
/// architecture, and the guest's 128-byte struct stat is built from it.</summary>
internal static unsafe class StatSyscalls
{
    private const int AtEmptyPath = 0x1000;
    private const int StatfsSize = 120;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Fstat, Fstat);
        table.Register(SyscallNumber.Newfstatat, NewFstatAt);
        table.Register(SyscallNumber.Statx, Statx);
        table.Register(SyscallNumber.Statfs, Statfs);
        table.Register(SyscallNumber.Fstatfs, Fstatfs);
    }

    private static long Fstat(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        byte* statx = stackalloc byte[StatLayout.StatxSize];
        byte empty = 0;
        return HostStatx(fd, &empty, AtEmptyPath, StatLayout.BasicStats, statx) is var result and < 0
            ? result
            : WriteStat(thread.Process.Memory, args.A1, statx);
    }

    private static long NewFstatAt(LinuxThread thread, in SyscallArguments args)
    {
        byte* statx = stackalloc byte[StatLayout.StatxSize];
        long result = StatxAt(thread.Process, (int)args.A0, args.A1, (int)args.A3, StatLayout.BasicStats, statx);
        return result < 0 ? result : WriteStat(thread.Process.Memory, args.A2, statx);
    }

    private static long Statx(LinuxThread thread, in SyscallArguments args)
    {
        byte* statx = stackalloc byte[StatLayout.StatxSize];
        long result = StatxAt(thread.Process, (int)args.A0, args.A1, (int)args.A2, (uint)args.A3, statx);
        if (result < 0)
        {
            return result;
        }

        return thread.Process.Memory.TryWrite(args.A4, new ReadOnlySpan<byte>(statx, StatLayout.StatxSize)) ? 0 : -Errno.EFAULT;
    }

    private static long Statfs(LinuxThread thread, in SyscallArguments args)
    {
        var process = thread.Process;
        int error = GuestPaths.Read(process.Memory, args.A0, out byte[] guestPath);
        if (error != 0)
        {
            return error;
        }

        byte* buffer = stackalloc byte[StatfsSize];
        byte[] hostPath = GuestPaths.ToHost(process, guestPath);
        fixed (byte* path = hostPath)
        {
            if (HostLibc.Statfs(path, buffer) != 0)
            {
                return HostResult.LastError();
            }
        }

        // struct statfs is the same 120 bytes on arm64 (generic, 64-bit words) and x86-64.
        return process.Memory.TryWrite(args.A1, new ReadOnlySpan<byte>(buffer, StatfsSize)) ? 0 : -Errno.EFAULT;
    }

    private static long Fstatfs(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        byte* buffer = stackalloc byte[StatfsSize];
        if (HostLibc.Fstatfs(fd, buffer) != 0)
        {
            return HostResult.LastError();
        }

        return thread.Process.Memory.TryWrite(args.A1, new ReadOnlySpan<byte>(buffer, StatfsSize)) ? 0 : -Errno.EFAULT;
    }

    /// <summary>statx of a guest (dirfd, path) pair into host buffer <paramref name="statx"/>.</summary>
    private static long StatxAt(LinuxProcess process, int guestDirFd, ulong pathAddress, int flags, uint mask, byte* statx)
    {
        int error = GuestPaths.Read(process.Memory, pathAddress, out byte[] guestPath);
        if (error != 0)
        {
            return error;
        }

        if (guestPath.Length == 1 && (flags & AtEmptyPath) != 0 && guestDirFd != GuestPaths.AtFdCwd)
        {
            if (!process.Files.TryGetHostFd(guestDirFd, out int fd))
            {
                return -Errno.EBADF;
            }

            byte empty = 0;
            return HostStatx(fd, &empty, flags, mask, statx);
        }

        error = GuestPaths.HostDirFd(process, guestDirFd, guestPath, out int hostDir);
        if (error != 0)
        {
            return error;
        }

        byte[] hostPath = GuestPaths.ToHost(process, guestPath);
        fixed (byte* path = hostPath)
        {
            return HostStatx(hostDir, path, flags, mask, statx);
        }
    }

    private static long HostStatx(int dirFd, byte* path, int flags, uint mask, byte* statx) =>
        HostResult.Of(HostLibc.Statx(dirFd, path, flags, mask, statx));

    private static long WriteStat(GuestMemory memory, ulong address, byte* statx)
    {
        Span<byte> stat = stackalloc byte[StatLayout.StatSize];
        StatLayout.FromStatx(new ReadOnlySpan<byte>(statx, StatLayout.StatxSize), stat);
        return memory.TryWrite(address, stat) ? 0 : -Errno.EFAULT;
    }
}
