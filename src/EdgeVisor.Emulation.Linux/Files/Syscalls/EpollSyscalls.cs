using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// epoll on a host epoll instance. struct epoll_event is 16 bytes on arm64 (u32 events, 4 bytes padding, u64 data)
/// but packed to 12 bytes on x86-64, so events are copied field by field. The data word is the guest's own cookie and
/// passes through untouched; watched descriptors are translated to host numbers.
/// </summary>
internal static unsafe class EpollSyscalls
{
    private const int GuestEventSize = 16;
    private const int EpollCtlDel = 2;
    private const int MaxEventsPerWait = 1024;

    private static readonly int HostEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.EpollCreate1, EpollCreate1);
        table.Register(SyscallNumber.EpollCtl, EpollCtl);
        table.Register(SyscallNumber.EpollPwait, static (t, in a) => EpollWait(t, a.A0, a.A1, a.A2, TimeoutFromMilliseconds((int)a.A3), null));
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
            return EpollWait(thread, args.A0, args.A1, args.A2, null, null);
        }

        if (!thread.Process.Memory.TryReadStruct(args.A3, out long seconds) || !thread.Process.Memory.TryReadStruct(args.A3 + 8, out long nanoseconds))
        {
            return -Errno.EFAULT;
        }

        if (seconds < 0 || (ulong)nanoseconds >= 1_000_000_000)
        {
            return -Errno.EINVAL;
        }

        return EpollWait(thread, args.A0, args.A1, args.A2, (seconds, nanoseconds), null);
    }

    private static (long Seconds, long Nanoseconds)? TimeoutFromMilliseconds(int milliseconds) =>
        milliseconds < 0 ? null : (milliseconds / 1000, milliseconds % 1000 * 1_000_000L);

    private static long EpollWait(LinuxThread thread, ulong guestEpollFd, ulong eventsAddress, ulong maxEvents, (long Seconds, long Nanoseconds)? timeout, void* signalMask)
    {
        if (!thread.Process.Files.TryGetHostFd((int)guestEpollFd, out int epollFd))
        {
            return -Errno.EBADF;
        }

        if ((int)maxEvents <= 0 || (int)maxEvents > int.MaxValue / GuestEventSize)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        int wanted = Math.Min((int)maxEvents, MaxEventsPerWait);
        if (!memory.IsAccessible(eventsAddress, (ulong)(wanted * GuestEventSize), PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        byte[] hostEvents = new byte[wanted * HostEventSize];
        long* time = stackalloc long[2];
        int ready;
        fixed (byte* events = hostEvents)
        {
            if (timeout is { } t)
            {
                time[0] = t.Seconds;
                time[1] = t.Nanoseconds;
            }

            ready = HostLibc.EpollPwait2(epollFd, events, wanted, timeout is null ? null : time, signalMask);
        }

        if (ready < 0)
        {
            return HostResult.LastError();
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

    private static void WriteHostEvent(byte* hostEvent, uint events, ulong data)
    {
        var span = new Span<byte>(hostEvent, 16);
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, events);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(HostEventSize - 8)..], data);
    }
}
