using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>The host libc calls process control needs (signals to other processes, waiting, process groups).</summary>
internal static partial class HostCalls
{
    /// <summary>Returns the result, or the negated host errno (host and guest errno values agree).</summary>
    public static long Result(long value) => value >= 0 ? value : -Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "wait4", SetLastError = true)]
    public static partial int Wait4(int pid, out int status, int options, nint rusage);

    [LibraryImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetPgid(int pid);

    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    public static partial int SetPgid(int pid, int pgid);

    [LibraryImport("libc", EntryPoint = "getsid", SetLastError = true)]
    public static partial int GetSid(int pid);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    public static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "raise")]
    public static partial int Raise(int signal);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRlimit(int resource, in RLimit limit);

    [LibraryImport("libc", EntryPoint = "sigprocmask", SetLastError = true)]
    public static partial int SigProcMask(int how, in ulong set, nint oldSet);

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}

/// <summary>Descriptor-level host calls for fork and exec.</summary>
internal static partial class HostDescriptors
{
    public const int CloseOnExec = 0x80000; // O_CLOEXEC (pipe2)
    public const uint MemfdCloseOnExec = 1; // MFD_CLOEXEC

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Execve(string path, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    public static unsafe partial int Waitid(int idType, int id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "wait4", SetLastError = true)]
    public static unsafe partial int Wait4(int pid, int* status, int options, byte* rusage);
}
