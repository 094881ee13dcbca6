using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Network.Host;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>
/// Creating, naming, connecting and configuring sockets on the host network stack. SOCK_CLOEXEC/SOCK_NONBLOCK are the
/// open-flag values on both architectures; socket options have the same layout, except the classic BPF program of
/// SO_ATTACH_FILTER, whose filter pointer is a guest address.
/// </summary>
internal static unsafe class SocketSyscalls
{
    private const int SockCloseOnExec = OpenFlags.CloseOnExec;
    private const int SockNonBlocking = OpenFlags.NonBlocking;
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private const int SoAttachReuseportCbpf = 51;
    private const int SockFprogSize = 16;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Socket, Socket);
        table.Register(SyscallNumber.Socketpair, SocketPair);
        table.Register(SyscallNumber.Bind, static (t, in a) => WithAddress(t, a, static (fd, p, n) => HostSockets.Bind(fd, p, n)));
        table.Register(SyscallNumber.Connect, static (t, in a) => WithAddress(t, a, static (fd, p, n) => HostSockets.Connect(fd, p, n)));
        table.Register(SyscallNumber.Listen, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostSockets.Listen(fd, (int)x.A1)));
        table.Register(SyscallNumber.Accept, static (t, in a) => Accept(t, a.A0, a.A1, a.A2, 0));
        table.Register(SyscallNumber.Accept4, static (t, in a) => Accept(t, a.A0, a.A1, a.A2, (int)a.A3));
        table.Register(SyscallNumber.Getsockname, static (t, in a) => NameOf(t, a, peer: false));
        table.Register(SyscallNumber.Getpeername, static (t, in a) => NameOf(t, a, peer: true));
        table.Register(SyscallNumber.Setsockopt, SetSockOpt);
        table.Register(SyscallNumber.Getsockopt, GetSockOpt);
        table.Register(SyscallNumber.Shutdown, static (t, in a) => FdCall.On(t, a, static (fd, x) => HostSockets.Shutdown(fd, (int)x.A1)));
    }

    private delegate int AddressCall(int hostFd, byte* address, uint length);

    private static long Socket(LinuxThread thread, in SyscallArguments args)
    {
        int type = (int)args.A1;
        int host = HostSockets.Socket((int)args.A0, type | SockCloseOnExec, (int)args.A2);
        return host < 0 ? HostResult.LastError() : thread.Process.Files.Add(host, (type & SockCloseOnExec) != 0, FileKind.Socket);
    }

    private static long SocketPair(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        if (!memory.IsAccessible(args.A3, 8, PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        int type = (int)args.A1;
        int* ends = stackalloc int[2];
        if (HostSockets.SocketPair((int)args.A0, type | SockCloseOnExec, (int)args.A2, ends) != 0)
        {
            return HostResult.LastError();
        }

        bool closeOnExec = (type & SockCloseOnExec) != 0;
        return thread.Process.Files.AddPair(ends[0], ends[1], closeOnExec, FileKind.Socket, memory, args.A3);
    }

    private static long WithAddress(LinuxThread thread, in SyscallArguments args, AddressCall call)
    {
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int error = SocketAddresses.In(thread.Process.Memory, args.A1, args.A2, out byte* address);
        return error != 0 ? error : HostResult.Of(call(fd, address, (uint)args.A2));
    }

    private static long Accept(LinuxThread thread, ulong guestFd, ulong address, ulong lengthAddress, int flags)
    {
        var process = thread.Process;
        if (!process.Files.TryGetHostFd((int)guestFd, out int fd))
        {
            return -Errno.EBADF;
        }

        if ((flags & ~(SockCloseOnExec | SockNonBlocking)) != 0)
        {
            return -Errno.EINVAL;
        }

        int error = SocketAddresses.Out(process.Memory, address, lengthAddress, out byte* name, out uint length);
        if (error != 0)
        {
            return error;
        }

        long wait = InterruptibleWait.ForDescriptor(thread, fd, InterruptibleWait.Readable);
        if (wait != 0)
        {
            return wait;
        }

        int host = HostSockets.Accept4(fd, name, name == null ? null : &length, flags | SockCloseOnExec);
        if (host < 0)
        {
            return HostResult.LastError();
        }

        if (name != null)
        {
            SocketAddresses.WriteLength(process.Memory, lengthAddress, length);
        }

        return process.Files.Add(host, (flags & SockCloseOnExec) != 0, FileKind.Socket);
    }

    private static long NameOf(LinuxThread thread, in SyscallArguments args, bool peer)
    {
        var process = thread.Process;
        if (!process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        if (args.A2 == 0)
        {
            return -Errno.EFAULT;
        }

        int error = SocketAddresses.Out(process.Memory, args.A1, args.A2, out byte* name, out uint length);
        if (error != 0)
        {
            return error;
        }

        byte scratch = 0;
        int result = peer
            ? HostSockets.GetPeerName(fd, name == null ? &scratch : name, &length)
            : HostSockets.GetSockName(fd, name == null ? &scratch : name, &length);
        if (result != 0)
        {
            return HostResult.LastError();
        }

        SocketAddresses.WriteLength(process.Memory, args.A2, length);
        return 0;
    }

    private static long SetSockOpt(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        int level = (int)args.A1, name = (int)args.A2;
        uint length = (uint)args.A4;
        if ((int)length < 0)
        {
            return -Errno.EINVAL;
        }

        byte* value = null;
        if (length > 0)
        {
            int error = UserBuffers.Whole(memory, args.A3, (int)length, PagePermissions.Read, out value);
            if (error != 0)
            {
                return error;
            }
        }

        if (level == SolSocket && name is SoAttachFilter or SoAttachReuseportCbpf && length >= SockFprogSize)
        {
            // struct sock_fprog { u16 len; u64 *filter (guest address) }: hand the host a copy pointing at host memory.
            ulong* program = stackalloc ulong[2];
            program[0] = *(ulong*)value;
            int error = UserBuffers.Whole(memory, ((ulong*)value)[1], 8 * *(ushort*)value, PagePermissions.Read, out byte* filter);
            if (error != 0)
            {
                return error;
            }

            program[1] = (ulong)filter;
            return HostResult.Of(HostSockets.SetSockOpt(fd, level, name, (byte*)program, SockFprogSize));
        }

        return HostResult.Of(HostSockets.SetSockOpt(fd, level, name, value, length));
    }

    private static long GetSockOpt(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        if (!thread.Process.Files.TryGetHostFd((int)args.A0, out int fd))
        {
            return -Errno.EBADF;
        }

        if (args.A4 == 0)
        {
            return -Errno.EFAULT;
        }

        int error = SocketAddresses.Out(memory, args.A3, args.A4, out byte* value, out uint length);
        if (error != 0)
        {
            return error;
        }

        byte scratch = 0;
        if (HostSockets.GetSockOpt(fd, (int)args.A1, (int)args.A2, value == null ? &scratch : value, &length) != 0)
        {
            return HostResult.LastError();
        }

        SocketAddresses.WriteLength(memory, args.A4, length);
        return 0;
    }
}
