using System.Diagnostics;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>How a blocking wait in a system call ended.</summary>
public enum WaitOutcome
{
    /// <summary>The condition became true.</summary>
    Ready,

    /// <summary>A signal the thread does not block arrived (the call returns -EINTR or restarts).</summary>
    Interrupted,

    /// <summary>The timeout passed.</summary>
    TimedOut,
}

// The kernel's own names (SIGSEGV, SA_RESTART, SS_ONSTACK…) keep the ABI greppable.
#pragma warning disable CA1707

/// <summary>
/// One thread's signal state: its blocked mask, the signals sent to it alone, its alternate stack, and the gate its
/// blocking system calls wait on so a signal can interrupt them.
/// </summary>
public sealed class ThreadSignals
{
    /// <summary>MINSIGSTKSZ on arm64.</summary>
    public const ulong MinimumAlternateStack = 5120;

    public const int SS_ONSTACK = 1;
    public const int SS_DISABLE = 2;
    public const int SS_AUTODISARM = unchecked((int)0x80000000);

    private long _blocked;

    internal ThreadSignals(LinuxThread thread)
    {
        Thread = thread;
        var process = thread.Process.SignalState;
        if (process.InitialThread is { } initial)
        {
            process.InitialThread = null;
            Blocked = initial.Blocked;
            AltStackBase = initial.AltStackBase;
            AltStackFlags = initial.AltStackFlags;
            AltStackSize = initial.AltStackSize;
        }
    }

    /// <summary>The thread this state belongs to.</summary>
    public LinuxThread Thread { get; }

    /// <summary>Signals sent to this thread (tgkill, faults).</summary>
    public PendingSignals Pending { get; } = new();

    /// <summary>The signal mask (bit n-1 = signal n). Written under the process lock; readable anywhere.</summary>
    public ulong Blocked
    {
        get => (ulong)Volatile.Read(ref _blocked);
        internal set => Volatile.Write(ref _blocked, (long)(value & ~SignalNumbers.Unblockable));
    }

    /// <summary>The mask rt_sigsuspend replaced, restored after the handler that ends the suspension (null otherwise).</summary>
    internal ulong? SuspendedMask { get; set; }

    /// <summary>X0 of a system call that returned -ERESTARTSYS, for re-executing it.</summary>
    internal ulong RestartX0 { get; set; }

    /// <summary>sigaltstack: base, size and flags (SS_DISABLE when none).</summary>
    public ulong AltStackBase { get; internal set; }

    public ulong AltStackSize { get; internal set; }

    public int AltStackFlags { get; internal set; } = SS_DISABLE;

    /// <summary>Monitor a blocked system call of this thread waits on; pulsed when a signal arrives for it.</summary>
    public object Gate { get; } = new();

    /// <summary>Whether <paramref name="sp"/> lies on the alternate signal stack.</summary>
    public bool IsOnAltStack(ulong sp) => AltStackFlags != SS_DISABLE && sp > AltStackBase && sp - AltStackBase <= AltStackSize;

    /// <summary>Whether a signal this thread would act on is pending (its own or the process's, not blocked).</summary>
    public bool HasDeliverable => ((Pending.Mask | Thread.Process.SignalState.Pending.Mask) & ~Blocked) != 0;

    /// <summary>Kernel thread id of the host thread running this guest thread (0 until it has run a system call).</summary>
    public int HostThreadId { get; private set; }

    /// <summary>Records the host thread; called on the guest thread's own host thread.</summary>
    internal void CaptureHostThread()
    {
        if (HostThreadId == 0)
        {
            HostThreadId = HostCallInterrupter.CurrentHostThreadId();
        }
    }

    /// <summary>
    /// Wakes a blocked system call of this thread (emulated waits through <see cref="Gate"/>, host calls through a
    /// host signal) and asks its core to stop at the next block boundary.
    /// </summary>
    public void Interrupt()
    {
        lock (Gate)
        {
            Monitor.PulseAll(Gate);
        }

        Thread.Cpu.RequestStop();
        HostCallInterrupter.Kick(HostThreadId, () => HasDeliverable && !Thread.Process.IsExiting);
    }

    /// <summary>
    /// Waits on <see cref="Gate"/> until <paramref name="ready"/> holds, a deliverable signal arrives, or the host
    /// monotonic clock passes <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp; long.MaxValue for
    /// none). Whoever makes <paramref name="ready"/> true must pulse <see cref="Gate"/> under its lock.
    /// </summary>
    public WaitOutcome WaitInterruptibly(Func<bool> ready, long deadline)
    {
        lock (Gate)
        {
            while (true)
            {
                if (ready())
                {
                    return WaitOutcome.Ready;
                }

                if (HasDeliverable)
                {
                    return WaitOutcome.Interrupted;
                }

                if (deadline == long.MaxValue)
                {
                    Monitor.Wait(Gate);
                    continue;
                }

                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    return WaitOutcome.TimedOut;
                }

                double ms = left * 1000.0 / Stopwatch.Frequency;
                Monitor.Wait(Gate, TimeSpan.FromMilliseconds(Math.Min(ms + 0.5, int.MaxValue - 1)));
            }
        }
    }
}
