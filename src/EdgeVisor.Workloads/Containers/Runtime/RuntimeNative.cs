using System.Runtime.InteropServices;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>The libc calls exit observation needs: the child-subreaper flag, pidfds, poll, waitid and an eventfd.</summary>
internal static unsafe partial class RuntimeNative
{
    public const int PrSetChildSubreaper = 36;
    public const int PidfdIdType = 3; // P_PIDFD
    public const int WaitExited = 4; // WEXITED
    public const int WaitNoHang = 1; // WNOHANG
    public const short PollIn = 0x1;
    public const int EventFdCloseOnExec = 0x80000; // EFD_CLOEXEC
    public const int NoSuchProcess = 3; // ESRCH
    public const int NoChild = 10; // ECHILD
    public const int Interrupted = 4; // EINTR

    // siginfo_t for SIGCHLD: si_code at 8; si_pid and si_status at the start of the union, which 64-bit ABIs align to 8.
    public const int SigInfoBytes = 128;
    public const int CodeExited = 1; // CLD_EXITED
    public const int CodeKilled = 2; // CLD_KILLED
    public const int CodeDumped = 3; // CLD_DUMPED

    public static int SigInfoPidOffset => IntPtr.Size == 8 ? 16 : 12;

    public static int SigInfoStatusOffset => SigInfoPidOffset + 8;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    public static partial int PidfdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    public static partial int WaitId(int idType, uint id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
