using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>
/// Clocks and sleeps on the host's clocks. There is no vDSO, so glibc makes these real system calls; struct
/// timespec and timeval are two 64-bit words on both arm64 and x86-64, and clock ids are the same numbers.
/// </summary>
/// <remarks>A sleep blocks the guest thread's host thread; a signal sent to the guest meanwhile is delivered when it ends.</remarks>
public static unsafe class TimeSyscalls
{
    private const int TimerAbsolute = 1;
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const int ClockMonotonic = 1;
    private const int TmsSize = 32;

    /// <summary>Installs the clock calls.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.ClockGettime, (LinuxThread t, in SyscallArguments a) => ReadClock(t, (int)a.A0, a.A1, resolution: false));
        table.Register(SyscallNumber.ClockGetres, (LinuxThread t, in SyscallArguments a) => ReadClock(t, (int)a.A0, a.A1, resolution: true));
        table.Register(SyscallNumber.Gettimeofday, GetTimeOfDay);
        table.Register(SyscallNumber.Nanosleep, (LinuxThread t, in SyscallArguments a) => Sleep(t, ClockMonotonic, 0, a.A0, a.A1));
        table.Register(SyscallNumber.ClockNanosleep, (LinuxThread t, in SyscallArguments a) => Sleep(t, (int)a.A0, (int)a.A1, a.A2, a.A3));
        table.Register(SyscallNumber.Times, Times);
    }

    private static long ReadClock(LinuxThread thread, int clock, ulong address, bool resolution)
    {
        long* time = stackalloc long[2];
        int result = resolution ? HostSystem.ClockGetRes(clock, time) : HostSystem.ClockGetTime(clock, time);
        if (result < 0)
        {
            return HostSystem.LastError();
        }

        // clock_getres accepts a null pointer; clock_gettime faults on it like any bad pointer.
        if (address == 0 && resolution)
        {
            return 0;
        }

        return thread.Process.Memory.TryWrite(address, new ReadOnlySpan<byte>(time, 16)) ? 0 : -Errno.EFAULT;
    }

    private static long GetTimeOfDay(LinuxThread thread, in SyscallArguments args)
    {
        long* time = stackalloc long[2];
        if (HostSystem.GetTimeOfDay(time, null) < 0)
        {
            return HostSystem.LastError();
        }

        var memory = thread.Process.Memory;
        if (args.A0 != 0 && !memory.TryWrite(args.A0, new ReadOnlySpan<byte>(time, 16)))
        {
            return -Errno.EFAULT;
        }

        // struct timezone is obsolete; Linux reports zeros unless set with settimeofday.
        return args.A1 == 0 || memory.TryWriteUInt64(args.A1, 0) ? 0 : -Errno.EFAULT;
    }

    private static long Sleep(LinuxThread thread, int clock, int flags, ulong request, ulong remaining)
    {
        var memory = thread.Process.Memory;
        long* wanted = stackalloc long[2];
        long* left = stackalloc long[2];
        if (!memory.TryRead(request, new Span<byte>(wanted, 16)))
        {
            return -Errno.EFAULT;
        }

        if (wanted[0] < 0 || wanted[1] is < 0 or >= NanosecondsPerSecond || (flags & ~TimerAbsolute) != 0)
        {
            return -Errno.EINVAL;
        }

        int error = HostSystem.ClockNanosleep(clock, flags, wanted, left);
        if (error == Errno.EINTR && (flags & TimerAbsolute) == 0 && remaining != 0 && !memory.TryWrite(remaining, new ReadOnlySpan<byte>(left, 16)))
        {
            return -Errno.EFAULT;
        }

        return -error;
    }

    private static long Times(LinuxThread thread, in SyscallArguments args)
    {
        Span<byte> buffer = stackalloc byte[TmsSize];
        long ticks;
        fixed (byte* p = buffer)
        {
            ticks = HostSystem.Times(p);
        }

        if (ticks == -1)
        {
            return HostSystem.LastError();
        }

        return args.A0 == 0 || thread.Process.Memory.TryWrite(args.A0, buffer) ? ticks : -Errno.EFAULT;
    }
}
