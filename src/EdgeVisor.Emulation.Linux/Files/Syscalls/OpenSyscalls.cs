using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>openat (and openat2, which glibc falls back from on -ENOSYS).</summary>
internal static unsafe class OpenSyscalls
{
    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Openat, OpenAt);
        table.Register(SyscallNumber.Openat2, static (_, in _) => -Errno.ENOSYS);
    }

    private static long OpenAt(LinuxThread thread, in SyscallArguments args)
    {
        var process = thread.Process;
        int error = GuestPaths.Read(process.Memory, args.A1, out byte[] guestPath);
        if (error != 0)
        {
            return error;
        }

        error = GuestPaths.HostDirFd(process, (int)args.A0, guestPath, out int hostDir);
        if (error != 0)
        {
            return error;
        }

        int guestFlags = (int)args.A2;
        byte[] hostPath = GuestPaths.ToHost(process, guestPath);
        int hostFlags = OpenFlags.ToHost(guestFlags) | OpenFlags.CloseOnExec;
        int hostFd;
        fixed (byte* path = hostPath)
        {
            hostFd = HostLibc.OpenAt(hostDir, path, hostFlags, (uint)args.A3 & 0xfff);
        }

        if (hostFd < 0)
        {
            return HostResult.LastError();
        }

        if (hostFd < 3)
        {
            // Only possible if something closed the host's standard streams; keep 0..2 for the host.
            int moved = DescriptorSyscalls.DuplicateHost(hostFd);
            _ = HostLibc.Close(hostFd);
            if (moved < 0)
            {
                return moved;
            }

            hostFd = moved;
        }

        return process.Files.Add(hostFd, (guestFlags & OpenFlags.CloseOnExec) != 0, FileKind.File);
    }
}
