using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// setitimer/getitimer for ITIMER_REAL (SIGALRM on expiry; glibc's alarm() is built on it). The virtual and profiling
/// timers measure guest CPU time, which EdgeVisor does not account: they are refused with -EINVAL.
/// </summary>
public static class IntervalTimers
{
    private const int ItimerReal = 0;
    private static readonly ConditionalWeakTable<LinuxProcess, RealTimer> Timers = new();

    /// <summary>Installs setitimer and getitimer.</summary>
    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Setitimer, Setitimer);
        table.Register(SyscallNumber.Getitimer, Getitimer);
    }

    /// <summary>setitimer(which, new, old).</summary>
    public static long Setitimer(LinuxThread thread, in SyscallArguments args)
    {
        if ((int)args.A0 != ItimerReal)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        ItimerVal value = default;
        if (args.A1 != 0 && !memory.TryReadStruct(args.A1, out value))
        {
            return -Errno.EFAULT;
        }

        if (!value.Interval.IsValid || !value.Value.IsValid)
        {
            return -Errno.EINVAL;
        }

        var timer = Timers.GetValue(thread.Process, p => new RealTimer(p));
        var old = timer.Current();
        if (args.A1 != 0)
        {
            timer.Arm(value.Value.Microseconds, value.Interval.Microseconds);
        }

        return args.A2 != 0 && !memory.TryWriteStruct(args.A2, old) ? -Errno.EFAULT : 0;
    }

    /// <summary>getitimer(which, value).</summary>
    public static long Getitimer(LinuxThread thread, in SyscallArguments args)
    {
        if ((int)args.A0 != ItimerReal)
        {
            return -Errno.EINVAL;
        }

        var current = Timers.TryGetValue(thread.Process, out var timer) ? timer.Current() : default;
        return thread.Process.Memory.TryWriteStruct(args.A1, current) ? 0 : -Errno.EFAULT;
    }

    /// <summary>Stops the process's timer (exec keeps it in Linux; exit ends it).</summary>
    public static void Cancel(LinuxProcess process)
    {
        if (Timers.TryGetValue(process, out var timer))
        {
            timer.Arm(0, 0);
        }
    }

    private sealed class RealTimer(LinuxProcess process) : IDisposable
    {
        private readonly Lock _lock = new();
        private Timer? _timer;
        private long _expiry; // Stopwatch timestamp, 0 when disarmed
        private long _intervalMicros;

        public void Arm(long valueMicros, long intervalMicros)
        {
            lock (_lock)
            {
                _timer?.Dispose();
                _timer = null;
                _expiry = 0;
                _intervalMicros = intervalMicros;
                if (valueMicros == 0)
                {
                    return;
                }

                _expiry = Stopwatch.GetTimestamp() + (valueMicros * Stopwatch.Frequency / 1_000_000);
                var period = intervalMicros == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(intervalMicros * 10);
                _timer = new Timer(_ => Fire(), null, TimeSpan.FromTicks(valueMicros * 10), period);
            }
        }

        public void Dispose() => Arm(0, 0);

        public ItimerVal Current()
        {
            lock (_lock)
            {
                long left = _expiry == 0 ? 0 : Math.Max(1, (_expiry - Stopwatch.GetTimestamp()) * 1_000_000 / Stopwatch.Frequency);
                return new ItimerVal { Interval = Timeval.From(_intervalMicros), Value = Timeval.From(left) };
            }
        }

        private void Fire()
        {
            lock (_lock)
            {
                _expiry = _intervalMicros == 0 ? 0 : Stopwatch.GetTimestamp() + (_intervalMicros * Stopwatch.Frequency / 1_000_000);
            }

            SignalDelivery.SendToProcess(process, new SignalInfo(SignalNumbers.SIGALRM, SignalNumbers.SI_KERNEL));
        }
    }

    private struct Timeval
    {
        public long Seconds;
        public long Micros;

        public readonly bool IsValid => Seconds >= 0 && Micros is >= 0 and < 1_000_000;

        public readonly long Microseconds => (Seconds * 1_000_000) + Micros;

        public static Timeval From(long micros) => new() { Seconds = micros / 1_000_000, Micros = micros % 1_000_000 };
    }

    private struct ItimerVal
    {
        public Timeval Interval;
        public Timeval Value;
    }
}
