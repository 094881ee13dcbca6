using System.Text;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// Guest path names to host path names. Paths are raw bytes (Linux names need not be UTF-8) and always carry their NUL.
/// Rules, in order: /proc/self/exe (and /proc/&lt;own pid&gt;/exe) is the guest executable; /proc/self/maps is the guest's
/// memory map (<see cref="GuestMaps"/>); /proc/self/fd/N, /dev/fd/N
/// and /dev/std{in,out,err} name the host descriptor behind guest descriptor N; an absolute path that exists under
/// the sysroot is used from there (qemu-user's -L); everything else is the host path unchanged.
/// </summary>
public static unsafe class GuestPaths
{
    /// <summary>AT_FDCWD.</summary>
    public const int AtFdCwd = -100;

    private static readonly int OwnPid = Environment.ProcessId;

    /// <summary>Reads a guest path: 0, -EFAULT on a bad pointer, -ENAMETOOLONG past PATH_MAX.</summary>
    public static int Read(GuestMemory memory, ulong address, out byte[] path)
    {
        path = [];
        ulong cursor = address;
        var collected = new List<byte>(64);
        while (collected.Count < UserMemory.PathMax)
        {
            if (!memory.IsAccessible(cursor, 1, PagePermissions.Read))
            {
                return -Errno.EFAULT;
            }

            int inPage = (int)(GuestMemory.PageSize - (cursor & GuestMemory.PageMask));
            int chunk = Math.Min(inPage, UserMemory.PathMax - collected.Count);
            var bytes = new ReadOnlySpan<byte>(memory.Base + cursor, chunk);
            int nul = bytes.IndexOf((byte)0);
            if (nul >= 0)
            {
                path = new byte[collected.Count + nul + 1];
                collected.CopyTo(path);
                bytes[..nul].CopyTo(path.AsSpan(collected.Count));
                return 0;
            }

            collected.AddRange(bytes);
            cursor += (ulong)chunk;
        }

        return -Errno.ENAMETOOLONG;
    }

    /// <summary>The host path for guest path <paramref name="guestPath"/> (NUL-terminated in and out), for a lookup.</summary>
    public static byte[] ToHost(LinuxProcess process, byte[] guestPath) => Translate(process, guestPath, useSysroot: true);

    /// <summary>
    /// The host path for a call that creates, removes or renames: the /proc and /dev/fd rules apply, the sysroot does
    /// not (a guest creating /tmp/x creates the host's /tmp/x even when the sysroot has a /tmp).
    /// </summary>
    public static byte[] ToHostWithoutSysroot(LinuxProcess process, byte[] guestPath) => Translate(process, guestPath, useSysroot: false);

    private static byte[] Translate(LinuxProcess process, byte[] guestPath, bool useSysroot)
    {
        ReadOnlySpan<byte> name = guestPath.AsSpan(0, guestPath.Length - 1);
        if (name.Length == 0 || name[0] != (byte)'/')
        {
            return guestPath;
        }

        if (IsOwnProcEntry(name, "exe"u8) && process.ExecutablePath is { } exe)
        {
            return Terminated(Encoding.UTF8.GetBytes(exe));
        }

        if (IsOwnProcEntry(name, "maps"u8) && GuestMaps.SnapshotPath(process) is { } maps)
        {
            return maps;
        }

        if (DescriptorNamed(name) is int guestFd)
        {
            return process.Files.TryGetHostFd(guestFd, out int hostFd)
                ? Terminated(Encoding.ASCII.GetBytes($"/proc/self/fd/{hostFd}"))
                : Terminated("/proc/self/fd/closed-guest-descriptor"u8.ToArray());
        }

        if (useSysroot && process.Sysroot?.TrimEnd('/') is { Length: > 0 } sysroot)
        {
            byte[] candidate = Terminated([.. Encoding.UTF8.GetBytes(sysroot), .. name]);
            fixed (byte* p = candidate)
            {
                if (HostLibc.FaccessAt(AtFdCwd, p, 0, 0) == 0)
                {
                    return candidate;
                }
            }
        }

        return guestPath;
    }

    /// <summary>
    /// The host directory descriptor for a *at call: AT_FDCWD stays, an absolute path ignores the descriptor (as
    /// Linux does), anything else must be an open guest descriptor (else -EBADF).
    /// </summary>
    public static int HostDirFd(LinuxProcess process, int guestDirFd, byte[] path, out int hostDirFd)
    {
        hostDirFd = AtFdCwd;
        if (guestDirFd == AtFdCwd || (path.Length > 1 && path[0] == (byte)'/'))
        {
            return 0;
        }

        return process.Files.TryGetHostFd(guestDirFd, out hostDirFd) ? 0 : -Errno.EBADF;
    }

    /// <summary>Whether <paramref name="name"/> is /proc/self/&lt;entry&gt; or /proc/&lt;own pid&gt;/&lt;entry&gt;.</summary>
    public static bool IsOwnProcEntry(ReadOnlySpan<byte> name, ReadOnlySpan<byte> entry)
    {
        if (!name.StartsWith("/proc/"u8))
        {
            return false;
        }

        var rest = name[6..];
        int slash = rest.IndexOf((byte)'/');
        if (slash < 0 || !rest[(slash + 1)..].SequenceEqual(entry))
        {
            return false;
        }

        var who = rest[..slash];
        return who.SequenceEqual("self"u8) || who.SequenceEqual("thread-self"u8) || (ParseNumber(who) is int pid && pid == OwnPid);
    }

    // /proc/self/fd/N, /proc/<own pid>/fd/N, /dev/fd/N, /dev/stdin, /dev/stdout, /dev/stderr → N.
    private static int? DescriptorNamed(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("/dev/stdin"u8))
        {
            return 0;
        }

        if (name.SequenceEqual("/dev/stdout"u8))
        {
            return 1;
        }

        if (name.SequenceEqual("/dev/stderr"u8))
        {
            return 2;
        }

        if (name.StartsWith("/dev/fd/"u8))
        {
            return ParseNumber(name[8..]);
        }

        int lastSlash = name.LastIndexOf((byte)'/');
        if (lastSlash > 0 && ParseNumber(name[(lastSlash + 1)..]) is int fd && IsOwnProcEntry(name[..lastSlash], "fd"u8))
        {
            return fd;
        }

        return null;
    }

    private static int? ParseNumber(ReadOnlySpan<byte> digits)
    {
        if (digits.Length is 0 or > 9)
        {
            return null;
        }

        int value = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            value = (value * 10) + (b - '0');
        }

        return value;
    }

    private static byte[] Terminated(ReadOnlySpan<byte> bytes)
    {
        var result = new byte[bytes.Length + 1];
        bytes.CopyTo(result);
        return result;
    }
}
