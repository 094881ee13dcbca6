using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>close, close_range, dup, dup3, fcntl: calls that work on the descriptor table itself.</summary>
internal static unsafe class DescriptorSyscalls
{
    private const int FDupFd = 0;
    private const int FGetFd = 1;
    private const int FSetFd = 2;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int FGetLk = 5;
    private const int FSetLk = 6;
    private const int FSetLkW = 7;
    private const int FGetOwnEx = 16;
    private const int FSetOwnEx = 15;
    private const int FOfdGetLk = 36;
    private const int FOfdSetLkW = 38;
    private const int FDupFdCloseOnExec = 1030;
    private const int FGetRwHint = 1035;
    private const int FSetFileRwHint = 1038;
    private const int FdCloseOnExec = 1;
    private const int FlockSize = 32;
    private const uint CloseRangeUnshare = 2;
    private const uint CloseRangeCloseOnExec = 4;

    // Integer-argument commands passed through unchanged (owner, signal, lease, notify, pipe size, seals).
    private static readonly int[] PassThroughCommands = [8, 9, 10, 11, 1024, 1025, 1026, 1031, 1032, 1033, 1034];

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Close, Close);
        table.Register(SyscallNumber.CloseRange, CloseRange);
        table.Register(SyscallNumber.Dup, Dup);
        table.Register(SyscallNumber.Dup3, Dup3);
        table.Register(SyscallNumber.Fcntl, Fcntl);
    }

    /// <summary>A host duplicate of <paramref name="hostFd"/> (close-on-exec on the host, never 0..2), or -errno.</summary>
    public static int DuplicateHost(int hostFd) => (int)HostResult.Of(HostLibc.Fcntl(hostFd, FDupFdCloseOnExec, 3));

    private static long Close(LinuxThread thread, in SyscallArguments args) => thread.Process.Files.Close((int)args.A0);

    private static long CloseRange(LinuxThread thread, in SyscallArguments args)
    {
        uint first = (uint)args.A0, last = (uint)args.A1, flags = (uint)args.A2;
        if ((flags & ~(CloseRangeUnshare | CloseRangeCloseOnExec)) != 0 || first > last)
        {
            return -Errno.EINVAL;
        }

        thread.Process.Files.CloseRange(first, last, (flags & CloseRangeCloseOnExec) != 0);
        return 0;
    }

    private static long Dup(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        if (!files.TryGet((int)args.A0, out var entry))
        {
            return -Errno.EBADF;
        }

        int host = DuplicateHost(entry.HostFd);
        return host < 0 ? host : files.Add(host, closeOnExec: false, entry.Kind);
    }

    private static long Dup3(LinuxThread thread, in SyscallArguments args)
    {
        int oldFd = (int)args.A0, newFd = (int)args.A1, flags = (int)args.A2;
        var files = thread.Process.Files;
        if ((flags & ~OpenFlags.CloseOnExec) != 0)
        {
            return -Errno.EINVAL;
        }

        if (!files.TryGet(oldFd, out var entry))
        {
            return -Errno.EBADF;
        }

        if (oldFd == newFd)
        {
            return -Errno.EINVAL;
        }

        if (newFd < 0 || newFd >= files.Limit)
        {
            return -Errno.EBADF;
        }

        int host = DuplicateHost(entry.HostFd);
        return host < 0 ? host : files.Replace(newFd, host, (flags & OpenFlags.CloseOnExec) != 0, entry.Kind);
    }

    private static long Fcntl(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        int fd = (int)args.A0, command = (int)args.A1;
        if (!files.TryGet(fd, out var entry))
        {
            return -Errno.EBADF;
        }

        switch (command)
        {
            case FDupFd or FDupFdCloseOnExec:
                {
                    int minimum = (int)args.A2;
                    if (args.A2 >= (ulong)files.Limit)
                    {
                        return -Errno.EINVAL;
                    }

                    int host = DuplicateHost(entry.HostFd);
                    return host < 0 ? host : files.Add(host, command == FDupFdCloseOnExec, entry.Kind, minimum);
                }

            case FGetFd:
                return entry.CloseOnExec ? FdCloseOnExec : 0;
            case FSetFd:
                files.SetCloseOnExec(fd, (args.A2 & FdCloseOnExec) != 0);
                return 0;
            case FGetFl:
                {
                    long flags = HostResult.Of(HostLibc.Fcntl(entry.HostFd, FGetFl, 0));
                    return flags < 0 ? flags : OpenFlags.ToGuest((int)flags);
                }

            case FSetFl:
                return HostResult.Of(HostLibc.Fcntl(entry.HostFd, FSetFl, OpenFlags.ToHost((int)args.A2)));
            case FGetLk or FSetLk or FSetLkW or (>= FOfdGetLk and <= FOfdSetLkW):
                // struct flock is the same 32 bytes on arm64 and x86-64.
                return WithStruct(thread, entry.HostFd, command, args.A2, FlockSize, command is FGetLk or FOfdGetLk);
            case FGetOwnEx or FSetOwnEx:
                return WithStruct(thread, entry.HostFd, command, args.A2, 8, command == FGetOwnEx);
            case >= FGetRwHint and <= FSetFileRwHint:
                return WithStruct(thread, entry.HostFd, command, args.A2, 8, (command & 1) != 0);
            default:
                return Array.IndexOf(PassThroughCommands, command) >= 0
                    ? HostResult.Of(HostLibc.Fcntl(entry.HostFd, command, (nint)args.A2))
                    : -Errno.EINVAL;
        }
    }

    // A command whose argument points to a structure with the same layout on guest and host: the host reads and
    // (when it reports something back) writes the guest's copy in place.
    private static long WithStruct(LinuxThread thread, int hostFd, int command, ulong address, int size, bool hostWrites)
    {
        int error = UserBuffers.Whole(thread.Process.Memory, address, size, hostWrites ? PagePermissions.Read | PagePermissions.Write : PagePermissions.Read, out byte* pointer);
        return error != 0 ? error : HostResult.Of(HostLibc.Fcntl(hostFd, command, (nint)pointer));
    }
}
