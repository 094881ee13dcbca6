using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// open/fcntl(F_GETFL/F_SETFL) flag translation. AArch64 and x86-64 agree on every flag except four that swap places
/// (arm64: O_DIRECTORY 0x4000, O_NOFOLLOW 0x8000, O_DIRECT 0x10000, O_LARGEFILE 0x20000; x86-64: O_DIRECT 0x4000,
/// O_LARGEFILE 0x8000, O_DIRECTORY 0x10000, O_NOFOLLOW 0x20000). Other LP64 hosts (arm64, riscv64) use the generic
/// values, so there the translation is the identity.
/// </summary>
public static class OpenFlags
{
    /// <summary>O_RDWR.</summary>
    public const int ReadWrite = 2;

    /// <summary>O_CREAT.</summary>
    public const int Create = 0x40;

    /// <summary>O_NONBLOCK.</summary>
    public const int NonBlocking = 0x800;

    /// <summary>O_CLOEXEC (same on every host).</summary>
    public const int CloseOnExec = 0x80000;

    /// <summary>O_TMPFILE without its O_DIRECTORY part.</summary>
    public const int TmpFileBit = 0x400000;

    /// <summary>Guest O_DIRECTORY.</summary>
    public const int GuestDirectory = 0x4000;

    /// <summary>Guest O_NOFOLLOW.</summary>
    public const int GuestNoFollow = 0x8000;

    /// <summary>Guest O_DIRECT.</summary>
    public const int GuestDirect = 0x10000;

    /// <summary>Guest O_LARGEFILE.</summary>
    public const int GuestLargeFile = 0x20000;

    internal const int HostReadWrite = ReadWrite;

    internal const int HostCloseOnExec = CloseOnExec;

    private const int X64Direct = 0x4000;
    private const int X64LargeFile = 0x8000;
    private const int X64Directory = 0x10000;
    private const int X64NoFollow = 0x20000;
    private const int Swapped = 0x4000 | 0x8000 | 0x10000 | 0x20000;

    private static readonly bool HostIsX64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>Guest open flags to the host's.</summary>
    public static int ToHost(int guest)
    {
        if (!HostIsX64)
        {
            return guest;
        }

        int host = guest & ~Swapped;
        host |= (guest & GuestDirectory) != 0 ? X64Directory : 0;
        host |= (guest & GuestNoFollow) != 0 ? X64NoFollow : 0;
        host |= (guest & GuestDirect) != 0 ? X64Direct : 0;
        host |= (guest & GuestLargeFile) != 0 ? X64LargeFile : 0;
        return host;
    }

    /// <summary>Host open flags (F_GETFL) to the guest's.</summary>
    public static int ToGuest(int host)
    {
        if (!HostIsX64)
        {
            return host;
        }

        int guest = host & ~Swapped;
        guest |= (host & X64Directory) != 0 ? GuestDirectory : 0;
        guest |= (host & X64NoFollow) != 0 ? GuestNoFollow : 0;
        guest |= (host & X64Direct) != 0 ? GuestDirect : 0;
        guest |= (host & X64LargeFile) != 0 ? GuestLargeFile : 0;
        return guest;
    }
}
