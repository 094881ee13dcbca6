using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// Descriptors not opened by path: pipe2, eventfd2, memfd_create, timerfd_*, inotify. Their flag words are open
/// flags (O_CLOEXEC, O_NONBLOCK, and O_DIRECT for packet pipes) or the same on every architecture; struct itimerspec
/// and struct inotify_event are the same too. signalfd4 is -ENOSYS: guest signals are emulated, not host signals.
/// </summary>
internal static unsafe class ChannelSyscalls
{
    private const int MemfdCloseOnExec = 1;
    private const int ItimerspecSize = 32;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Pipe2, Pipe2);
        table.Register(SyscallNumber.Eventfd2, static (t, in a) => Install(t, HostLibc.EventFd((uint)a.A0, (int)a.A1 | OpenFlags.CloseOnExec), (int)a.A1, FileKind.EventFd));
        table.Register(SyscallNumber.MemfdCreate, MemfdCreate);
        table.Register(SyscallNumber.TimerfdCreate, static (t, in a) => Install(t, HostLibc.TimerfdCreate((int)a.A0, (int)a.A1 | OpenFlags.CloseOnExec), (int)a.A1, FileKind.TimerFd));
        table.Register(SyscallNumber.TimerfdSettime, TimerfdSettime);
        table.Register(SyscallNumber.TimerfdGettime, TimerfdGettime);
        table.Register(SyscallNumber.InotifyInit1, static (t, in a) => Install(t, HostInotify.Init1((int)a.A0 | OpenFlags.CloseOnExec), (int)a.A0, FileKind.File));
        table.Register(SyscallNumber.InotifyAddWatch, static (t, in a) => t.Process.Files.TryGetHostFd((int)a.A0, out int fd)
            ? PathCall.At(t, a, unchecked((ulong)GuestPaths.AtFdCwd), a.A1, (_, p, x) => HostInotify.AddWatch(fd, p, (uint)x.A2), lookup: true)
            : -Errno.EBADF);
        table.Register(SyscallNumber.InotifyRmWatch, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostInotify.RemoveWatch(fd, (int)x.A1)));
        table.Register(SyscallNumber.Signalfd4, static (_, in _) => -Errno.ENOSYS);
    }

    /// <summary>Adds a new host descriptor (or passes its creation error through) with the guest's O_CLOEXEC.</summary>
    private static long Install(LinuxThread thread, int hostFd, int guestFlags, FileKind kind) =>
        hostFd < 0 ? HostResult.LastError() : thread.Process.Files.Add(hostFd, (guestFlags & OpenFlags.CloseOnExec) != 0, kind);

    private static long Pipe2(LinuxThread thread, in SyscallArguments args)
    {
        int guestFlags = (int)args.A1;
        if ((guestFlags & ~(OpenFlags.CloseOnExec | OpenFlags.NonBlocking | OpenFlags.GuestDirect)) != 0)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        if (!memory.IsAccessible(args.A0, 8, PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        int* ends = stackalloc int[2];
        if (HostLibc.Pipe2(ends, OpenFlags.ToHost(guestFlags) | OpenFlags.CloseOnExec) != 0)
        {
            return HostResult.LastError();
        }

        bool closeOnExec = (guestFlags & OpenFlags.CloseOnExec) != 0;
        return thread.Process.Files.AddPair(ends[0], ends[1], closeOnExec, FileKind.Pipe, memory, args.A0);
    }

    private static long MemfdCreate(LinuxThread thread, in SyscallArguments args)
    {
        int error = GuestPaths.Read(thread.Process.Memory, args.A0, out byte[] name);
        if (error != 0)
        {
            return error;
        }

        int flags = (int)args.A1;
        fixed (byte* p = name)
        {
            return Install(thread, HostLibc.MemfdCreate(p, (uint)(flags | MemfdCloseOnExec)), (flags & MemfdCloseOnExec) != 0 ? OpenFlags.CloseOnExec : 0, FileKind.MemFd);
        }
    }

    private static long TimerfdSettime(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        var memory = thread.Process.Memory;
        int error = UserBuffers.Whole(memory, args.A2, ItimerspecSize, PagePermissions.Read, out byte* newValue);
        if (error != 0)
        {
            return error;
        }

        byte* oldValue = null;
        if (args.A3 != 0 && (error = UserBuffers.Whole(memory, args.A3, ItimerspecSize, PagePermissions.Write, out oldValue)) != 0)
        {
            return error;
        }

        return HostResult.Of(HostLibc.TimerfdSettime(fd, (int)args.A1, (long*)newValue, (long*)oldValue));
    }

    private static long TimerfdGettime(LinuxThread thread, in SyscallArguments args)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = UserBuffers.Whole(thread.Process.Memory, args.A1, ItimerspecSize, PagePermissions.Write, out byte* value);
        return error != 0 ? error : HostResult.Of(HostLibc.TimerfdGettime(fd, (long*)value));
    }
}
