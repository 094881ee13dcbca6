using System.Diagnostics;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// Turns a guest struct timespec (16 bytes: tv_sec, tv_nsec) into a host <see cref="Stopwatch"/> deadline, the form
/// <see cref="Signals.ThreadSignals.WaitInterruptibly"/> takes.
/// </summary>
public static class GuestTimeout
{
    public const int ClockRealtime = 0;
    public const int ClockMonotonic = 1;

    /// <summary>No deadline.</summary>
    public const long Infinite = long.MaxValue;

    /// <summary>
    /// Reads the timespec at <paramref name="address"/> (0 = none: <see cref="Infinite"/>) as a relative duration or
    /// as an absolute time on <paramref name="clock"/>. Returns 0 or -EFAULT/-EINVAL.
    /// </summary>
    public static long Read(GuestMemory memory, ulong address, bool absolute, int clock, out long deadline)
    {
        deadline = Infinite;
        if (address == 0)
        {
            return 0;
        }

        if (!memory.TryReadStruct(address, out Timespec ts))
        {
            return -Errno.EFAULT;
        }

        if (ts.Seconds < 0 || ts.Nanoseconds is < 0 or >= 1_000_000_000)
        {
            return -Errno.EINVAL;
        }

        long now = Stopwatch.GetTimestamp();
        long nanos;
        if (absolute)
        {
            long clockNow = clock == ClockRealtime ? (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100 : MonotonicNanoseconds(now);
            long target = ts.Seconds > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : (ts.Seconds * 1_000_000_000) + ts.Nanoseconds;
            nanos = Math.Max(0, target - clockNow);
        }
        else
        {
            nanos = ts.Seconds > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : (ts.Seconds * 1_000_000_000) + ts.Nanoseconds;
        }

        double ticks = nanos * (Stopwatch.Frequency / 1e9);
        deadline = ticks >= Infinite - now ? Infinite : now + (long)ticks;
        return 0;
    }

    private static long MonotonicNanoseconds(long timestamp) => (long)(timestamp * (1e9 / Stopwatch.Frequency));

    /// <summary>struct timespec on LP64.</summary>
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
