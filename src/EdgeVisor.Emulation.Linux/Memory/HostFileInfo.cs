using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Memory;

/// <summary>What file mappings need to know about a host file descriptor: how it was opened, its size and path.</summary>
internal static partial class HostFileInfo
{
    private const int FGetFl = 3;
    private const int AccessModeMask = 3;
    private const int OpenReadOnly = 0;
    private const int OpenWriteOnly = 1;
    private const int OpenReadWrite = 2;

    // st_size sits at byte 48 of struct stat on both x86-64 and the generic (arm64) layout; 256 bytes covers either.
    private const int StatBufferSize = 256;
    private const int StatSizeOffset = 48;

    /// <summary>Whether <paramref name="hostFd"/> is open, readable and/or writable; false when it is not open.</summary>
    public static bool TryGetAccess(int hostFd, out bool readable, out bool writable)
    {
        int flags = Fcntl(hostFd, FGetFl, 0);
        readable = writable = false;
        if (flags < 0)
        {
            return false;
        }

        int mode = flags & AccessModeMask;
        readable = mode is OpenReadOnly or OpenReadWrite;
        writable = mode is OpenWriteOnly or OpenReadWrite;
        return true;
    }

    /// <summary>The file's size in bytes, or -1 when fstat fails.</summary>
    public static unsafe long Size(int hostFd)
    {
        byte* buffer = stackalloc byte[StatBufferSize];
        return Fstat(hostFd, buffer) == 0 ? *(long*)(buffer + StatSizeOffset) : -1;
    }

    /// <summary>The host path the descriptor refers to (via /proc/self/fd), or null.</summary>
    public static string? PathOf(int hostFd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{hostFd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Opens <paramref name="path"/> for mapping again (mremap of a file area); -1 on failure.</summary>
    public static int Open(string path, bool writable) => OpenFile(path, (writable ? OpenReadWrite : OpenReadOnly) | 0x80000 /* O_CLOEXEC */);

    public static void Close(int hostFd) => _ = CloseFile(hostFd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int Fstat(int fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFile(int fd);
}
