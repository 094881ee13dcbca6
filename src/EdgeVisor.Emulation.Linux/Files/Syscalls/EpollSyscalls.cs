using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// epoll on a host epoll instance. struct epoll_event is 16 bytes on arm64 (u32 events, 4 bytes padding, u64 data)
/// but packed to 12 bytes on x86-64, so events are copied field by field. The data word is the guest's own cookie and
/// passes through untouched; watched descriptors are translated to host numbers. Waits are interruptible by guest
/// signals and install the guest's signal mask argument for their duration.
/// </summary>
internal static unsafe class EpollSyscalls
{
    private const int GuestEventSize = 16;
    private const int EpollCtlDel = 2;
    private const int MaxEventsPerWait = 1024;
    private const long SliceNanoseconds = 20_000_000;

    private static readonly int HostEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.EpollCreate1, EpollCreate1);
        table.Register(SyscallNumber.EpollCtl, EpollCtl);
        table.Register(SyscallNumber.EpollPwait, static (t, in a) => EpollWait(t, a, (int)a.A3 < 0 ? -1 : (int)a.A3 * 1_000_000L));
        table.Register(SyscallNumber.EpollPwait2, EpollPwait2);
    }

    private static long EpollCreate1(LinuxThread thread, in SyscallArguments args)
    {
        int flags = (int)args.A0;
        if ((flags & ~OpenFlags.CloseOnExec) != 0)
        {
            return -Errno.EINVAL;
        }

        int host = HostLibc.EpollCreate1(OpenFlags.CloseOnExec);
        return host < 0 ? HostResult.LastError() : thread.Process.Files.Add(host, flags != 0, FileKind.Epoll);
    }

    private static long EpollCtl(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        if (!files.TryGetHostFd((int)args.A0, out int epollFd) || !files.TryGetHostFd((int)args.A2, out int targetFd))
        {
            return -Errno.EBADF;
        }

        int operation = (int)args.A1;
        byte* hostEvent = stackalloc byte[16];
        if (operation != EpollCtlDel)
        {
            Span<byte> guestEvent = stackalloc byte[GuestEventSize];
            if (!thread.Process.Memory.TryRead(args.A3, guestEvent))
            {
                return -Errno.EFAULT;
            }

            WriteHostEvent(hostEvent, BinaryPrimitives.ReadUInt32LittleEndian(guestEvent), BinaryPrimitives.ReadUInt64LittleEndian(guestEvent[8..]));
        }

        return HostResult.Of(HostLibc.EpollCtl(epollFd, operation, targetFd, operation == EpollCtlDel ? null : hostEvent));
    }

    private static long EpollPwait2(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A3 == 0)
        {
            return EpollWait(thread, args, -1);
        }

        if (!thread.Process.Memory.TryReadStruct(args.A3, out long seconds) || !thread.Process.Memory.TryReadStruct(args.A3 + 8, out long nanoseconds))
        {
            return -Errno.EFAULT;
        }

        if (seconds < 0 || (ulong)nanoseconds >= 1_000_000_000)
        {
            return -Errno.EINVAL;
        }

        return EpollWait(thread, args, seconds >= long.MaxValue / 1_000_000_000 ? long.MaxValue : (seconds * 1_000_000_000) + nanoseconds);
    }

    private static long EpollWait(LinuxThread thread, in SyscallArguments args, long timeoutNanoseconds)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int epollFd))
        {
            return -Errno.EBADF;
        }

        int maxEvents = (int)args.A2;
        if (maxEvents <= 0 || maxEvents > int.MaxValue / GuestEventSize)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        ulong eventsAddress = args.A1;
        int wanted = Math.Min(maxEvents, MaxEventsPerWait);
        if (!memory.IsAccessible(eventsAddress, (ulong)(wanted * GuestEventSize), PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        int error = GuestSignalMask.Install(thread, args.A4, args.A5, out ulong? previousMask);
        if (error != 0)
        {
            return error;
        }

        byte[] hostEvents = new byte[wanted * HostEventSize];
        int ready = WaitInSlices(thread, epollFd, hostEvents, wanted, timeoutNanoseconds);
        GuestSignalMask.Restore(thread, previousMask, interrupted: ready == -Errno.EINTR);
        if (ready < 0)
        {
            return ready;
        }

        Span<byte> guestEvent = stackalloc byte[GuestEventSize];
        for (int i = 0; i < ready; i++)
        {
            var host = hostEvents.AsSpan(i * HostEventSize);
            guestEvent.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(guestEvent, BinaryPrimitives.ReadUInt32LittleEndian(host));
            BinaryPrimitives.WriteUInt64LittleEndian(guestEvent[8..], BinaryPrimitives.ReadUInt64LittleEndian(host[(HostEventSize - 8)..]));
            memory.TryWrite(eventsAddress + (ulong)(i * GuestEventSize), guestEvent);
        }

        return ready;
    }

    // Host waits of at most SliceNanoseconds, looking for guest signals in between: epoll_wait is never restarted,
    // so an interruption is -EINTR, as on Linux.
    private static int WaitInSlices(LinuxThread thread, int epollFd, byte[] hostEvents, int wanted, long timeoutNanoseconds)
    {
        long start = Stopwatch.GetTimestamp();
        long* slice = stackalloc long[2];
        fixed (byte* events = hostEvents)
        {
            while (true)
            {
                long remaining = timeoutNanoseconds < 0 ? SliceNanoseconds : Math.Max(0, timeoutNanoseconds - (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
                long wait = Math.Min(remaining, SliceNanoseconds);
                slice[0] = wait / 1_000_000_000;
                slice[1] = wait % 1_000_000_000;
                int ready = HostLibc.EpollPwait2(epollFd, events, wanted, slice, null);
                if (ready < 0 && HostResult.LastError() == -Errno.ENOSYS)
                {
                    // Kernels before 5.11: millisecond timeouts.
                    ready = HostLibc.EpollPwait(epollFd, events, wanted, (int)((wait + 999_999) / 1_000_000), null);
                }

                if (ready < 0 && HostResult.LastError() is var error && error != -Errno.EINTR)
                {
                    return (int)error;
                }

                if (ready > 0 || (timeoutNanoseconds >= 0 && remaining <= wait))
                {
                    return Math.Max(ready, 0);
                }

                if (InterruptibleWait.Interrupted(thread))
                {
                    return -Errno.EINTR;
                }
            }
        }
    }

    private static void WriteHostEvent(byte* hostEvent, uint events, ulong data)
    {
        var span = new Span<byte>(hostEvent, 16);
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, events);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(HostEventSize - 8)..], data);
    }
}
