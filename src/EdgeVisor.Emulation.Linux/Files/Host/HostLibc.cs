using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Files.Host;

/// <summary>
/// The host C library calls behind guest file, directory, polling and socket system calls. Functions are imported by
/// name (not raw syscall numbers) so the same code runs on x86-64 and arm64 hosts; every call records errno, which
/// <see cref="HostResult"/> turns into a negated guest errno (the numbers are the same on both architectures).
/// Variadic C functions (openat, fcntl, ioctl) are declared with their one optional argument, which the Linux calling
/// conventions of both host architectures pass exactly like a fixed argument.
/// </summary>
internal static unsafe partial class HostLibc
{
    private const string Libc = "libc";

    // ---- descriptors ----
    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true)]
    internal static partial int OpenAt(int dirFd, byte* path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);

    [LibraryImport(Libc, EntryPoint = "dup3", SetLastError = true)]
    internal static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, nint argument);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    [LibraryImport(Libc, EntryPoint = "memfd_create", SetLastError = true)]
    internal static partial int MemfdCreate(byte* name, uint flags);

    [LibraryImport(Libc, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRlimit(int resource, ulong* limits);

    // ---- data ----
    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "pread64", SetLastError = true)]
    internal static partial nint Pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Libc, EntryPoint = "pwrite64", SetLastError = true)]
    internal static partial nint Pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Libc, EntryPoint = "readv", SetLastError = true)]
    internal static partial nint Readv(int fd, HostIovec* vectors, int count);

    [LibraryImport(Libc, EntryPoint = "writev", SetLastError = true)]
    internal static partial nint Writev(int fd, HostIovec* vectors, int count);

    [LibraryImport(Libc, EntryPoint = "preadv2", SetLastError = true)]
    internal static partial nint Preadv2(int fd, HostIovec* vectors, int count, long offset, int flags);

    [LibraryImport(Libc, EntryPoint = "pwritev2", SetLastError = true)]
    internal static partial nint Pwritev2(int fd, HostIovec* vectors, int count, long offset, int flags);

    [LibraryImport(Libc, EntryPoint = "lseek64", SetLastError = true)]
    internal static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Libc, EntryPoint = "sendfile64", SetLastError = true)]
    internal static partial nint Sendfile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport(Libc, EntryPoint = "copy_file_range", SetLastError = true)]
    internal static partial nint CopyFileRange(int inFd, long* inOffset, int outFd, long* outOffset, nuint count, uint flags);

    [LibraryImport(Libc, EntryPoint = "splice", SetLastError = true)]
    internal static partial nint Splice(int inFd, long* inOffset, int outFd, long* outOffset, nuint count, uint flags);

    [LibraryImport(Libc, EntryPoint = "tee", SetLastError = true)]
    internal static partial nint Tee(int inFd, int outFd, nuint count, uint flags);

    // ---- metadata ----
    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "statfs64", SetLastError = true)]
    internal static partial int Statfs(byte* path, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "fstatfs64", SetLastError = true)]
    internal static partial int Fstatfs(int fd, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "getdents64", SetLastError = true)]
    internal static partial nint Getdents64(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
    internal static partial nint ReadlinkAt(int dirFd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "faccessat", SetLastError = true)]
    internal static partial int FaccessAt(int dirFd, byte* path, int mode, int flags);

    [LibraryImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Libc, EntryPoint = "fchmodat", SetLastError = true)]
    internal static partial int FchmodAt(int dirFd, byte* path, uint mode, int flags);

    [LibraryImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(int fd, uint owner, uint group);

    [LibraryImport(Libc, EntryPoint = "fchownat", SetLastError = true)]
    internal static partial int FchownAt(int dirFd, byte* path, uint owner, uint group, int flags);

    [LibraryImport(Libc, EntryPoint = "utimensat", SetLastError = true)]
    internal static partial int UtimensAt(int dirFd, byte* path, byte* times, int flags);

    [LibraryImport(Libc, EntryPoint = "futimens", SetLastError = true)]
    internal static partial int Futimens(int fd, byte* times);

    [LibraryImport(Libc, EntryPoint = "truncate64", SetLastError = true)]
    internal static partial int Truncate(byte* path, long length);

    [LibraryImport(Libc, EntryPoint = "ftruncate64", SetLastError = true)]
    internal static partial int Ftruncate(int fd, long length);

    [LibraryImport(Libc, EntryPoint = "fallocate64", SetLastError = true)]
    internal static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport(Libc, EntryPoint = "fdatasync", SetLastError = true)]
    internal static partial int Fdatasync(int fd);

    [LibraryImport(Libc, EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int Syncfs(int fd);

    [LibraryImport(Libc, EntryPoint = "sync")]
    internal static partial void Sync();

    [LibraryImport(Libc, EntryPoint = "sync_file_range", SetLastError = true)]
    internal static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    // ---- names ----
    [LibraryImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
    internal static partial int MkdirAt(int dirFd, byte* path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mknodat", SetLastError = true)]
    internal static partial int MknodAt(int dirFd, byte* path, uint mode, ulong device);

    [LibraryImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
    internal static partial int UnlinkAt(int dirFd, byte* path, int flags);

    [LibraryImport(Libc, EntryPoint = "renameat2", SetLastError = true)]
    internal static partial int RenameAt2(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, uint flags);

    [LibraryImport(Libc, EntryPoint = "linkat", SetLastError = true)]
    internal static partial int LinkAt(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, int flags);

    [LibraryImport(Libc, EntryPoint = "symlinkat", SetLastError = true)]
    internal static partial int SymlinkAt(byte* target, int newDirFd, byte* linkPath);

    [LibraryImport(Libc, EntryPoint = "getcwd", SetLastError = true)]
    internal static partial byte* Getcwd(byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "chdir", SetLastError = true)]
    internal static partial int Chdir(byte* path);

    [LibraryImport(Libc, EntryPoint = "fchdir", SetLastError = true)]
    internal static partial int Fchdir(int fd);

    // ---- waiting ----
    [LibraryImport(Libc, EntryPoint = "ppoll", SetLastError = true)]
    internal static partial int Ppoll(HostPollFd* fds, nuint count, long* timeout, void* signalMask);

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epollFd, int operation, int fd, byte* hostEvent);

    [LibraryImport(Libc, EntryPoint = "epoll_pwait2", SetLastError = true)]
    internal static partial int EpollPwait2(int epollFd, byte* hostEvents, int maxEvents, long* timeout, void* signalMask);

    [LibraryImport(Libc, EntryPoint = "timerfd_create", SetLastError = true)]
    internal static partial int TimerfdCreate(int clock, int flags);

    [LibraryImport(Libc, EntryPoint = "timerfd_settime", SetLastError = true)]
    internal static partial int TimerfdSettime(int fd, int flags, long* newValue, long* oldValue);

    [LibraryImport(Libc, EntryPoint = "timerfd_gettime", SetLastError = true)]
    internal static partial int TimerfdGettime(int fd, long* value);
}

/// <summary>struct iovec (the same on every LP64 Linux).</summary>
internal struct HostIovec
{
    public nint Base;
    public nuint Length;
}

/// <summary>struct pollfd.</summary>
internal struct HostPollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

/// <summary>inotify, used by file watchers (tail -f, build tools).</summary>
internal static unsafe partial class HostInotify
{
    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    internal static partial int Init1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    internal static partial int AddWatch(int fd, byte* path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    internal static partial int RemoveWatch(int fd, int watch);
}

/// <summary>epoll_pwait for hosts whose kernel lacks epoll_pwait2.</summary>
internal static unsafe partial class HostLibc
{
    [LibraryImport(Libc, EntryPoint = "epoll_pwait", SetLastError = true)]
    internal static partial int EpollPwait(int epollFd, byte* hostEvents, int maxEvents, int timeoutMilliseconds, void* signalMask);
}
