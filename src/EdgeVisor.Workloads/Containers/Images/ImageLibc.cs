using System.Runtime.InteropServices;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// The C library calls the image store needs and .NET does not offer: lstat without a layout that differs per
/// architecture (statx's is fixed), mknod, mkfifo, link, lchown, utimensat on links, setxattr, mount and umount2.
/// Each returns -1 and sets errno on failure (SetLastError).
/// </summary>
internal static partial class ImageLibc
{
    public const int MntDetach = 2;

    /// <summary>The errno of the last failed call.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>The text of the last failed call's errno (e.g. "No such file or directory").</summary>
    public static string LastErrorText => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/> itself, never of what a symlink points at; 0 when it does not exist.</summary>
    public static uint FileType(string path)
    {
        if (Statx.Get(Statx.AtFdCwd, path, Statx.AtSymlinkNoFollow, Statx.TypeOnly, out var buffer) == 0)
        {
            return buffer.Mode & Statx.FileTypeMask;
        }

        int errno = LastError;
        return errno is 2 or 20 ? 0u : throw new IOException($"{path}: statx failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mknod(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkfifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lchown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Utimensat(int dirFd, string path, in AccessAndModificationTimes times, int flags);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Lgetxattr(string path, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fileSystemType, nuint flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    /// <summary>Two struct timespec (access, then modification): 64-bit seconds and nanoseconds on the LP64 targets the agent runs on.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct AccessAndModificationTimes(long seconds, long nanoseconds)
    {
        private readonly long _accessSeconds = seconds;
        private readonly long _accessNanoseconds = nanoseconds;
        private readonly long _modificationSeconds = seconds;
        private readonly long _modificationNanoseconds = nanoseconds;
    }
}
