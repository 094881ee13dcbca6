using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Files.Host;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>The common shape of *at calls: read the guest path, resolve the directory descriptor, call the host.</summary>
internal static unsafe class PathCall
{
    /// <summary>A host call on (directory descriptor, path); the syscall's arguments come along for the other parameters.</summary>
    public delegate int HostAt(int hostDirFd, byte* hostPath, SyscallArguments args);

    /// <summary>A host call on two (directory descriptor, path) pairs.</summary>
    public delegate int HostTwoAt(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, SyscallArguments args);

    /// <summary>
    /// Runs <paramref name="call"/> on the host form of guest (<paramref name="dirFd"/>, <paramref name="pathAddress"/>);
    /// <paramref name="lookup"/> applies the sysroot rule (reads and stats), otherwise the host path is used as given
    /// (creating, removing, renaming).
    /// </summary>
    public static long At(LinuxThread thread, in SyscallArguments args, ulong dirFd, ulong pathAddress, HostAt call, bool lookup = false)
    {
        var process = thread.Process;
        int error = GuestPaths.Read(process.Memory, pathAddress, out byte[] guestPath);
        if (error != 0)
        {
            return error;
        }

        error = GuestPaths.HostDirFd(process, (int)dirFd, guestPath, out int hostDir);
        if (error != 0)
        {
            return error;
        }

        byte[] hostPath = lookup ? GuestPaths.ToHost(process, guestPath) : GuestPaths.ToHostWithoutSysroot(process, guestPath);
        fixed (byte* p = hostPath)
        {
            return HostResult.Of(call(hostDir, p, args));
        }
    }

    /// <summary>Runs <paramref name="call"/> on the two guest (directory descriptor, path) pairs in arguments 0..3 (rename, link).</summary>
    public static long Two(LinuxThread thread, in SyscallArguments args, HostTwoAt call)
    {
        var process = thread.Process;
        ulong oldDirFd = args.A0, oldPathAddress = args.A1, newDirFd = args.A2, newPathAddress = args.A3;
        int error = GuestPaths.Read(process.Memory, oldPathAddress, out byte[] oldPath);
        if (error == 0)
        {
            error = GuestPaths.Read(process.Memory, newPathAddress, out byte[] newPath);
            if (error == 0)
            {
                error = GuestPaths.HostDirFd(process, (int)oldDirFd, oldPath, out int oldDir);
                if (error == 0)
                {
                    error = GuestPaths.HostDirFd(process, (int)newDirFd, newPath, out int newDir);
                    if (error == 0)
                    {
                        byte[] oldHost = GuestPaths.ToHostWithoutSysroot(process, oldPath), newHost = GuestPaths.ToHostWithoutSysroot(process, newPath);
                        fixed (byte* o = oldHost)
                        fixed (byte* n = newHost)
                        {
                            return HostResult.Of(call(oldDir, o, newDir, n, args));
                        }
                    }
                }
            }
        }

        return error;
    }
}

/// <summary>Calls on one guest descriptor.</summary>
internal static class FdCall
{
    /// <summary>A host call on a host descriptor; the syscall's arguments come along for the other parameters.</summary>
    public delegate int HostOn(int hostFd, SyscallArguments args);

    /// <summary>Runs <paramref name="call"/> on the host descriptor behind guest descriptor argument 0, or -EBADF.</summary>
    public static long On(LinuxThread thread, in SyscallArguments args, HostOn call) =>
        thread.Process.Files.TryGetHostFd((int)args.A0, out int fd) ? HostResult.Of(call(fd, args)) : -Errno.EBADF;
}
