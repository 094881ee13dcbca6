using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// read, write and their positioned and vectored forms, lseek: data moves between host and guest memory in place.
/// Unpositioned transfers may block (pipes, sockets, terminals) and are interruptible by guest signals.
/// </summary>
internal static unsafe class ReadWriteSyscalls
{
    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Read, Read);
        table.Register(SyscallNumber.Write, Write);
        table.Register(SyscallNumber.Pread64, Pread);
        table.Register(SyscallNumber.Pwrite64, Pwrite);
        table.Register(SyscallNumber.Readv, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, -1, 0, write: false, positioned: false));
        table.Register(SyscallNumber.Writev, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, -1, 0, write: true, positioned: false));
        table.Register(SyscallNumber.Preadv, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, (long)a.A3, 0, write: false, positioned: true));
        table.Register(SyscallNumber.Pwritev, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, (long)a.A3, 0, write: true, positioned: true));
        table.Register(SyscallNumber.Preadv2, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, (long)a.A3, (int)a.A5, write: false, positioned: (long)a.A3 != -1));
        table.Register(SyscallNumber.Pwritev2, static (t, in a) => Vectored(t, a.A0, a.A1, a.A2, (long)a.A3, (int)a.A5, write: true, positioned: (long)a.A3 != -1));
        table.Register(SyscallNumber.Lseek, Lseek);
    }

    private static long Read(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = UserBuffers.Writable(thread.Process.Memory, args.A1, args.A2, out byte* buffer, out int length);
        if (error != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Readable, nonBlocking: length == 0);
        return wait != 0 ? wait : HostResult.Of(HostLibc.Read(fd, buffer, (nuint)length));
    }

    private static long Write(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = UserBuffers.Readable(thread.Process.Memory, args.A1, args.A2, out byte* buffer, out int length);
        if (error != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Writable, nonBlocking: length == 0);
        return wait != 0 ? wait : BrokenPipe.Check(thread, HostResult.Of(HostLibc.Write(fd, buffer, (nuint)length)));
    }

    private static long Pread(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        if ((long)args.A3 < 0)
        {
            return -Errno.EINVAL;
        }

        int error = UserBuffers.Writable(thread.Process.Memory, args.A1, args.A2, out byte* buffer, out int length);
        return error != 0 ? error : HostResult.Of(HostLibc.Pread(fd, buffer, (nuint)length, (long)args.A3));
    }

    private static long Pwrite(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        if ((long)args.A3 < 0)
        {
            return -Errno.EINVAL;
        }

        int error = UserBuffers.Readable(thread.Process.Memory, args.A1, args.A2, out byte* buffer, out int length);
        return error != 0 ? error : BrokenPipe.Check(thread, HostResult.Of(HostLibc.Pwrite(fd, buffer, (nuint)length, (long)args.A3)));
    }

    private static long Lseek(LinuxThread thread, in SyscallArguments args) =>
        thread.Process.Files.TryGetHostFd((int)args.A0, out int fd)
            ? HostResult.Of(HostLibc.Lseek(fd, (long)args.A1, (int)args.A2))
            : -Errno.EBADF;

    private static long Vectored(LinuxThread thread, ulong guestFd, ulong vectors, ulong count, long offset, int flags, bool write, bool positioned)
    {
        if (!thread.Process.Files.TryGetHostFd((int)guestFd, out int fd))
        {
            return -Errno.EBADF;
        }

        if (count > IoVectors.MaxCount)
        {
            return -Errno.EINVAL;
        }

        if (positioned && offset < 0)
        {
            return -Errno.EINVAL;
        }

        int n = (int)count;
        HostIovec[]? rented = n > IoVectors.StackCount ? new HostIovec[n] : null;
        Span<HostIovec> host = rented ?? stackalloc HostIovec[IoVectors.StackCount];
        int error = IoVectors.Translate(thread.Process.Memory, vectors, n, write ? PagePermissions.Read : PagePermissions.Write, host, out int used);
        if (error != 0)
        {
            return error;
        }

        if (!positioned)
        {
            long wait = InterruptibleWait.ForDescriptor(thread, fd, write ? InterruptibleWait.Writable : InterruptibleWait.Readable);
            if (wait != 0)
            {
                return wait;
            }
        }

        fixed (HostIovec* iov = host)
        {
            long result = (write, positioned || flags != 0) switch
            {
                (false, false) => HostLibc.Readv(fd, iov, used),
                (true, false) => HostLibc.Writev(fd, iov, used),
                (false, true) => HostLibc.Preadv2(fd, iov, used, positioned ? offset : -1, flags),
                (true, true) => HostLibc.Pwritev2(fd, iov, used, positioned ? offset : -1, flags),
            };
            result = HostResult.Of(result);
            return write ? BrokenPipe.Check(thread, result) : result;
        }
    }
}
