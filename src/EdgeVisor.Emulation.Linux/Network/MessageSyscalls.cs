using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Network.Host;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>
/// Sending and receiving: sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg. struct msghdr (56 bytes) and struct
/// mmsghdr (64) have the same layout on arm64 and x86-64; the host gets a copy whose pointers are host addresses of
/// the guest's buffers, and SCM_RIGHTS descriptors are translated both ways. A send that fails with EPIPE raises
/// SIGPIPE unless MSG_NOSIGNAL was given. Blocking waits are interruptible by guest signals.
/// </summary>
internal static unsafe class MessageSyscalls
{
    private const int MsghdrSize = 56;
    private const int MmsghdrSize = 64;
    private const int MsgDontWait = 0x40;
    private const int MsgCtrunc = 0x8;
    private const int MsgNoSignal = 0x4000;
    private const int MsgWaitForOne = 0x10000;
    private const int MsgCmsgCloseOnExec = 0x40000000;
    private const int MaxControl = 1 << 20;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Sendto, SendTo);
        table.Register(SyscallNumber.Recvfrom, RecvFrom);
        table.Register(SyscallNumber.Sendmsg, static (t, in a) => Send(t, (int)a.A0, a.A1, (int)a.A2));
        table.Register(SyscallNumber.Recvmsg, static (t, in a) => Receive(t, (int)a.A0, a.A1, (int)a.A2));
        table.Register(SyscallNumber.Sendmmsg, static (t, in a) => Many(t, a, send: true));
        table.Register(SyscallNumber.Recvmmsg, static (t, in a) => Many(t, a, send: false));
    }

    private static long SendTo(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = UserBuffers.Readable(memory, args.A1, args.A2, out byte* buffer, out int length);
        if (error == 0)
        {
            error = SocketAddresses.In(memory, args.A4, args.A5, out byte* address);
            if (error == 0)
            {
                int flags = (int)args.A3;
                long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Writable, (flags & MsgDontWait) != 0);
                if (wait != 0)
                {
                    return wait;
                }

                long result = HostResult.Of(HostSockets.SendTo(fd, buffer, (nuint)length, flags, address, (uint)args.A5));
                return (flags & MsgNoSignal) != 0 ? result : BrokenPipe.Check(thread, result);
            }
        }

        return error;
    }

    private static long RecvFrom(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = UserBuffers.Writable(memory, args.A1, args.A2, out byte* buffer, out int length);
        if (error != 0)
        {
            return error;
        }

        error = SocketAddresses.Out(memory, args.A4, args.A5, out byte* address, out uint addressLength);
        if (error != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Readable, ((int)args.A3 & MsgDontWait) != 0);
        if (wait != 0)
        {
            return wait;
        }

        long result = HostResult.Of(HostSockets.RecvFrom(fd, buffer, (nuint)length, (int)args.A3, address, address == null ? null : &addressLength));
        if (result >= 0 && address != null)
        {
            SocketAddresses.WriteLength(memory, args.A5, addressLength);
        }

        return result;
    }

    private static long Send(LinuxThread thread, int guestFd, ulong messageAddress, int flags)
    {
        var process = thread.Process;
        if (!process.Files.TryGetHostFd(guestFd, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = Prepare(process.Memory, messageAddress, PagePermissions.Read, out var message, out var iov, out byte[]? control);
        if (error != 0)
        {
            return error;
        }

        if (control is not null && (error = ControlMessages.GuestToHost(control, process.Files)) != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Writable, (flags & MsgDontWait) != 0);
        if (wait != 0)
        {
            return wait;
        }

        long result;
        fixed (HostIovec* vectors = iov)
        fixed (byte* controlBytes = control)
        {
            message.Iov = (nint)vectors;
            message.Control = (nint)controlBytes;
            result = HostResult.Of(HostSockets.SendMsg(fd, &message, flags));
        }

        return (flags & MsgNoSignal) != 0 ? result : BrokenPipe.Check(thread, result);
    }

    private static long Receive(LinuxThread thread, int guestFd, ulong messageAddress, int flags)
    {
        var process = thread.Process;
        var memory = process.Memory;
        if (!process.Files.TryGetHostFd(guestFd, out int fd))
        {
            return -Errno.EBADF;
        }

        if (!memory.IsAccessible(messageAddress, MsghdrSize, PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        int error = Prepare(memory, messageAddress, PagePermissions.Write, out var message, out var iov, out byte[]? control);
        if (error != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Readable, (flags & MsgDontWait) != 0);
        if (wait != 0)
        {
            return wait;
        }

        long result;
        fixed (HostIovec* vectors = iov)
        fixed (byte* controlBytes = control)
        {
            message.Iov = (nint)vectors;
            message.Control = (nint)controlBytes;
            result = HostResult.Of(HostSockets.RecvMsg(fd, &message, flags | MsgCmsgCloseOnExec));
        }

        if (result < 0)
        {
            return result;
        }

        int outFlags = message.Flags;
        if (control is not null)
        {
            var received = control.AsSpan(0, (int)message.ControlLength);
            if (!ControlMessages.HostToGuest(received, process.Files, (flags & MsgCmsgCloseOnExec) != 0))
            {
                outFlags |= MsgCtrunc;
            }

            if (!memory.TryReadUInt64(messageAddress + 32, out ulong guestControl) || !memory.TryWrite(guestControl, received))
            {
                return -Errno.EFAULT;
            }
        }

        memory.TryWriteInt32(messageAddress + 8, (int)message.NameLength);
        memory.TryWriteUInt64(messageAddress + 40, message.ControlLength);
        memory.TryWriteInt32(messageAddress + 48, outFlags);
        return result;
    }

    // sendmmsg/recvmmsg: one sendmsg/recvmsg per entry, stopping at the first failure after at least one success, as
    // Linux does. recvmmsg's timeout is not applied (the count and MSG_WAITFORONE are).
    private static long Many(LinuxThread thread, in SyscallArguments args, bool send)
    {
        int guestFd = (int)args.A0;
        ulong vector = args.A1;
        uint count = Math.Min((uint)args.A2, IoVectorsLimit);
        int flags = (int)args.A3;
        var memory = thread.Process.Memory;
        int done = 0;
        for (; done < count; done++)
        {
            ulong entry = vector + ((ulong)done * MmsghdrSize);
            if (!memory.IsAccessible(entry, MmsghdrSize, PagePermissions.Read | PagePermissions.Write))
            {
                return done > 0 ? done : -Errno.EFAULT;
            }

            int entryFlags = !send && (flags & MsgWaitForOne) != 0 && done > 0 ? (flags | MsgDontWait) : flags;
            long result = send ? Send(thread, guestFd, entry, entryFlags & ~MsgWaitForOne) : Receive(thread, guestFd, entry, entryFlags & ~MsgWaitForOne);
            if (result < 0)
            {
                return done > 0 ? done : result;
            }

            memory.TryWriteInt32(entry + MsghdrSize, (int)result);
        }

        return done;
    }

    private const uint IoVectorsLimit = 1024;

    /// <summary>A host msghdr for the guest's: name and iovecs point into guest memory, control is a copy.</summary>
    private static int Prepare(GuestMemory memory, ulong address, PagePermissions required, out HostMsghdr message, out HostIovec[] iov, out byte[]? control)
    {
        message = default;
        iov = [];
        control = null;
        Span<byte> guest = stackalloc byte[MsghdrSize];
        if (!memory.TryRead(address, guest))
        {
            return -Errno.EFAULT;
        }

        ulong name = BitConverter.ToUInt64(guest), iovAddress = BitConverter.ToUInt64(guest[16..]), controlAddress = BitConverter.ToUInt64(guest[32..]);
        uint nameLength = BitConverter.ToUInt32(guest[8..]);
        ulong iovCount = BitConverter.ToUInt64(guest[24..]), controlLength = BitConverter.ToUInt64(guest[40..]);
        if (iovCount > IoVectors.MaxCount)
        {
            return -Errno.EMSGSIZE;
        }

        if (controlLength > MaxControl)
        {
            return -Errno.ENOBUFS;
        }

        if (name != 0 && nameLength > 0)
        {
            int error = UserBuffers.Whole(memory, name, (int)Math.Min(nameLength, 128u), required, out byte* namePointer);
            if (error != 0)
            {
                return error;
            }

            message.Name = (nint)namePointer;
            message.NameLength = nameLength;
        }

        iov = new HostIovec[(int)iovCount];
        int translated = IoVectors.Translate(memory, iovAddress, (int)iovCount, required, iov, out int used);
        if (translated != 0)
        {
            return translated;
        }

        message.IovLength = (nuint)used;
        if (controlAddress != 0 && controlLength > 0)
        {
            control = new byte[controlLength];
            if (required == PagePermissions.Read ? !memory.TryRead(controlAddress, control) : !memory.IsAccessible(controlAddress, controlLength, PagePermissions.Write))
            {
                return -Errno.EFAULT;
            }

            message.ControlLength = (nuint)controlLength;
        }

        return 0;
    }
}
