using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>
/// The host C library calls behind the system-information syscalls. x86-64 and arm64 share the layouts used here
/// (struct utsname, sysinfo, rlimit, rusage, tms, timespec, timeval: all LP64 with the same fields), so buffers pass
/// through unchanged. Each returns -1 and sets errno on failure (SetLastError).
/// </summary>
internal static unsafe partial class HostSystem
{
    /// <summary>The host errno of the last failed call, negated for a syscall result.</summary>
    public static long LastError() => -Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEffectiveGid();

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "getresuid", SetLastError = true)]
    public static partial int GetResUid(uint* real, uint* effective, uint* saved);

    [LibraryImport("libc", EntryPoint = "getresgid", SetLastError = true)]
    public static partial int GetResGid(uint* real, uint* effective, uint* saved);

    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    public static partial int GetGroups(int size, uint* list);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUid(uint uid);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGid(uint gid);

    [LibraryImport("libc", EntryPoint = "setreuid", SetLastError = true)]
    public static partial int SetReUid(uint real, uint effective);

    [LibraryImport("libc", EntryPoint = "setregid", SetLastError = true)]
    public static partial int SetReGid(uint real, uint effective);

    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    public static partial int SetResUid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    public static partial int SetResGid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nuint size, uint* list);

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    public static partial int SetFsUid(uint uid);

    [LibraryImport("libc", EntryPoint = "setfsgid")]
    public static partial int SetFsGid(uint gid);

    [LibraryImport("libc", EntryPoint = "uname", SetLastError = true)]
    public static partial int Uname(byte* buffer);

    [LibraryImport("libc", EntryPoint = "sysinfo", SetLastError = true)]
    public static partial int Sysinfo(byte* buffer);

    [LibraryImport("libc", EntryPoint = "prlimit", SetLastError = true)]
    public static partial int Prlimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    public static partial int GetRusage(int who, byte* buffer);

    [LibraryImport("libc", EntryPoint = "times", SetLastError = true)]
    public static partial long Times(byte* buffer);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static partial int SchedGetAffinity(int pid, nuint size, byte* mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int pid, nuint size, byte* mask);

    [LibraryImport("libc", EntryPoint = "sched_getcpu")]
    public static partial int SchedGetCpu();

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, long* timespec);

    [LibraryImport("libc", EntryPoint = "clock_getres", SetLastError = true)]
    public static partial int ClockGetRes(int clock, long* timespec);

    /// <summary>Returns the error number itself (0 on success), as POSIX clock_nanosleep does.</summary>
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    public static partial int ClockNanosleep(int clock, int flags, long* request, long* remaining);

    [LibraryImport("libc", EntryPoint = "gettimeofday", SetLastError = true)]
    public static partial int GetTimeOfDay(long* timeval, void* timezone);
}
