using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Processes;
using EdgeVisor.Emulation.Linux.Threads;
using static EdgeVisor.Emulation.Linux.Signals.SignalNumbers;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>System calls of the Signals feature: dispositions, masks, waiting for signals, sending them, sigreturn.</summary>
public static class SignalSyscalls
{
    private const int SigBlock = 0;
    private const int SigUnblock = 1;
    private const int SigSetMask = 2;
    private const ulong SigsetSize = 8;

    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.RtSigaction, RtSigaction);
        table.Register(SyscallNumber.RtSigprocmask, RtSigprocmask);
        table.Register(SyscallNumber.RtSigpending, RtSigpending);
        table.Register(SyscallNumber.RtSigsuspend, RtSigsuspend);
        table.Register(SyscallNumber.RtSigtimedwait, RtSigtimedwait);
        table.Register(SyscallNumber.RtSigreturn, RtSigreturn);
        table.Register(SyscallNumber.Sigaltstack, Sigaltstack);
        table.Register(SyscallNumber.Kill, Kill);
        table.Register(SyscallNumber.Tkill, Tkill);
        table.Register(SyscallNumber.Tgkill, Tgkill);
        table.Register(SyscallNumber.RtSigqueueinfo, RtSigqueueinfo);
        table.Register(SyscallNumber.RtTgsigqueueinfo, RtTgsigqueueinfo);
        IntervalTimers.Register(table);
    }

    /// <summary>rt_sigaction(sig, act, oact, sigsetsize).</summary>
    public static long RtSigaction(LinuxThread thread, in SyscallArguments args)
    {
        int signal = (int)args.A0;
        if (!IsValid(signal) || args.A3 != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        SignalAction newAction = default;
        if (args.A1 != 0)
        {
            if (signal is SIGKILL or SIGSTOP)
            {
                return -Errno.EINVAL;
            }

            if (!memory.TryReadStruct(args.A1, out newAction))
            {
                return -Errno.EFAULT;
            }

            newAction = newAction with { Mask = newAction.Mask & ~Unblockable };
        }

        var process = thread.Process.SignalState;
        SignalAction old;
        lock (process.Lock)
        {
            old = process.GetActionLocked(signal);
            if (args.A1 != 0)
            {
                process.SetActionLocked(signal, newAction);
                if (process.IsIgnoredLocked(signal))
                {
                    // POSIX: setting a pending signal to be ignored discards it, in every thread.
                    process.Pending.Discard(signal);
                    foreach (var t in CoreThreads.All(thread.Process))
                    {
                        t.SignalState.Pending.Discard(signal);
                    }
                }
            }
        }

        if (args.A2 != 0 && !memory.TryWriteStruct(args.A2, old))
        {
            return -Errno.EFAULT;
        }

        return 0;
    }

    /// <summary>rt_sigprocmask(how, set, oset, sigsetsize).</summary>
    public static long RtSigprocmask(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A3 != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        var state = thread.SignalState;
        ulong old = state.Blocked;
        if (args.A1 != 0)
        {
            if (!memory.TryReadUInt64(args.A1, out ulong set))
            {
                return -Errno.EFAULT;
            }

            lock (thread.Process.SignalState.Lock)
            {
                switch ((int)args.A0)
                {
                    case SigBlock: state.Blocked = old | set; break;
                    case SigUnblock: state.Blocked = old & ~set; break;
                    case SigSetMask: state.Blocked = set; break;
                    default: return -Errno.EINVAL;
                }
            }
        }

        if (args.A2 != 0 && !memory.TryWriteUInt64(args.A2, old))
        {
            return -Errno.EFAULT;
        }

        return 0;
    }

    /// <summary>rt_sigpending(set, sigsetsize): pending signals that are blocked (thread's and process's).</summary>
    public static long RtSigpending(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A1 != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        var state = thread.SignalState;
        ulong pending = (state.Pending.Mask | thread.Process.SignalState.Pending.Mask) & state.Blocked;
        return thread.Process.Memory.TryWriteUInt64(args.A0, pending) ? 0 : -Errno.EFAULT;
    }

    /// <summary>rt_sigsuspend(mask, sigsetsize): waits with a temporary mask until a handler runs; always -EINTR.</summary>
    public static long RtSigsuspend(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A1 != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        if (!thread.Process.Memory.TryReadUInt64(args.A0, out ulong mask))
        {
            return -Errno.EFAULT;
        }

        var state = thread.SignalState;
        lock (thread.Process.SignalState.Lock)
        {
            state.SuspendedMask = state.Blocked;
            state.Blocked = mask;
        }

        // Ends when a signal arrives (delivered next, then the old mask comes back) or the process is ending.
        state.WaitInterruptibly(() => thread.Process.SignalState.TerminatingSignal != 0, GuestTimeout.Infinite);
        return -Errno.EINTR;
    }

    /// <summary>rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of the set without running a handler.</summary>
    public static long RtSigtimedwait(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A3 != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        if (!memory.TryReadUInt64(args.A0, out ulong set))
        {
            return -Errno.EFAULT;
        }

        set &= ~Unblockable;
        long error = GuestTimeout.Read(memory, args.A2, absolute: false, GuestTimeout.ClockMonotonic, out long deadline);
        if (error != 0)
        {
            return error;
        }

        var state = thread.SignalState;
        var process = thread.Process.SignalState;

        // Signals of the set are waited for even if blocked: unblock them for the wait, as the kernel does.
        ulong saved;
        lock (process.Lock)
        {
            saved = state.Blocked;
            state.Blocked = saved & ~set;
        }

        SignalInfo? taken = null;
        var outcome = state.WaitInterruptibly(() => (taken = TakeFrom(thread, set)) is not null, deadline);
        lock (process.Lock)
        {
            state.Blocked = saved | (state.Blocked & ~(saved | set));
        }

        if (outcome == WaitOutcome.TimedOut)
        {
            return -Errno.EAGAIN;
        }

        if (taken is null)
        {
            return -Errno.EINTR;
        }

        if (args.A1 != 0)
        {
            var bytes = new byte[SignalInfo.Size];
            taken.WriteTo(bytes);
            if (!memory.TryWrite(args.A1, bytes))
            {
                return -Errno.EFAULT;
            }
        }

        return taken.Signal;
    }

    private static SignalInfo? TakeFrom(LinuxThread thread, ulong set)
    {
        var state = thread.SignalState;
        var process = thread.Process.SignalState;
        lock (process.Lock)
        {
            int signal = state.Pending.Lowest(set);
            if (signal != 0)
            {
                return state.Pending.Take(signal);
            }

            signal = process.Pending.Lowest(set);
            return signal != 0 ? process.Pending.Take(signal) : null;
        }
    }

    /// <summary>rt_sigreturn(): restores the context saved in the signal frame at SP.</summary>
    public static long RtSigreturn(LinuxThread thread, in SyscallArguments args)
    {
        var cpu = thread.Cpu;
        var restored = SignalFrame.Restore(cpu, thread.Process.Memory, cpu.Sp);
        if (restored is not { } saved)
        {
            SignalDelivery.RaiseFault(thread, SIGSEGV, SI_KERNEL, 0);
            return SyscallTable.NoReturnValue;
        }

        var state = thread.SignalState;
        lock (thread.Process.SignalState.Lock)
        {
            state.Blocked = saved.Mask;
        }

        // restore_altstack: the handler may have changed uc_stack; errors are ignored as in Linux.
        if (!state.IsOnAltStack(cpu.Sp))
        {
            SetAltStack(state, saved.AltBase, saved.AltFlags, saved.AltSize, cpu.Sp);
        }

        return SyscallTable.NoReturnValue;
    }

    /// <summary>sigaltstack(ss, old_ss): struct stack_t {ss_sp, ss_flags, ss_size} (24 bytes).</summary>
    public static long Sigaltstack(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        var state = thread.SignalState;
        ulong sp = thread.Cpu.Sp;
        var old = new StackT
        {
            Base = state.AltStackBase,
            Flags = state.IsOnAltStack(sp) ? ThreadSignals.SS_ONSTACK : state.AltStackFlags,
            Size = state.AltStackSize,
        };
        if (args.A0 != 0)
        {
            if (!memory.TryReadStruct(args.A0, out StackT ss))
            {
                return -Errno.EFAULT;
            }

            long error = SetAltStack(state, ss.Base, ss.Flags, ss.Size, sp);
            if (error != 0)
            {
                return error;
            }
        }

        if (args.A1 != 0 && !memory.TryWriteStruct(args.A1, old))
        {
            return -Errno.EFAULT;
        }

        return 0;
    }

    private static long SetAltStack(ThreadSignals state, ulong stackBase, int flags, ulong size, ulong sp)
    {
        if (state.IsOnAltStack(sp))
        {
            return -Errno.EPERM;
        }

        int mode = flags & ~ThreadSignals.SS_AUTODISARM;
        if (mode is not (0 or ThreadSignals.SS_ONSTACK or ThreadSignals.SS_DISABLE))
        {
            return -Errno.EINVAL;
        }

        if (mode == ThreadSignals.SS_DISABLE)
        {
            state.AltStackBase = 0;
            state.AltStackSize = 0;
            state.AltStackFlags = ThreadSignals.SS_DISABLE;
            return 0;
        }

        if (size < ThreadSignals.MinimumAlternateStack)
        {
            return -Errno.ENOMEM;
        }

        state.AltStackBase = stackBase;
        state.AltStackSize = size;
        state.AltStackFlags = flags & ThreadSignals.SS_AUTODISARM;
        return 0;
    }

    /// <summary>kill(pid, sig): this process (pid = ours, 0, -1 or -our group) or another host process.</summary>
    public static long Kill(LinuxThread thread, in SyscallArguments args)
    {
        int pid = (int)args.A0;
        int signal = (int)args.A1;
        if (signal != 0 && !IsValid(signal))
        {
            return -Errno.EINVAL;
        }

        int self = thread.Process.Pid;
        if (pid == self || pid == -1)
        {
            // pid -1 ("every process we may signal") is narrowed to this process: a guest must not reach the host's others.
            if (signal != 0)
            {
                SignalDelivery.SendToProcess(thread.Process, SignalInfo.FromUser(signal, self, (int)HostCalls.GetUid()));
            }

            return 0;
        }

        // Other processes (forked guests are host processes) and process groups go to the host kernel. Our own group
        // includes us: the host delivers to this process too, and the host-signal forwarding hands it to the guest.
        return HostCalls.Result(HostCalls.Kill(pid, signal));
    }

    /// <summary>tkill(tid, sig).</summary>
    public static long Tkill(LinuxThread thread, in SyscallArguments args) => SendToThread(thread, thread.Process.Pid, (int)args.A0, (int)args.A1, null);

    /// <summary>tgkill(tgid, tid, sig).</summary>
    public static long Tgkill(LinuxThread thread, in SyscallArguments args) => SendToThread(thread, (int)args.A0, (int)args.A1, (int)args.A2, null);

    /// <summary>rt_sigqueueinfo(pid, sig, info): a siginfo chosen by the sender (sigqueue); only to this process.</summary>
    public static long RtSigqueueinfo(LinuxThread thread, in SyscallArguments args)
    {
        int signal = (int)args.A1;
        if (!IsValid(signal))
        {
            return -Errno.EINVAL;
        }

        var raw = ReadQueuedInfo(thread, args.A2, out long error);
        if (raw is null)
        {
            return error;
        }

        if ((int)args.A0 != thread.Process.Pid)
        {
            return -Errno.ESRCH; // no host call carries a siginfo to another process
        }

        SignalDelivery.SendToProcess(thread.Process, new SignalInfo(signal, BitConverter.ToInt32(raw, 8), Raw: raw));
        return 0;
    }

    /// <summary>rt_tgsigqueueinfo(tgid, tid, sig, info).</summary>
    public static long RtTgsigqueueinfo(LinuxThread thread, in SyscallArguments args)
    {
        var raw = ReadQueuedInfo(thread, args.A3, out long error);
        return raw is null ? error : SendToThread(thread, (int)args.A0, (int)args.A1, (int)args.A2, raw);
    }

    private static byte[]? ReadQueuedInfo(LinuxThread thread, ulong address, out long error)
    {
        var raw = new byte[SignalInfo.Size];
        if (!thread.Process.Memory.TryRead(address, raw))
        {
            error = -Errno.EFAULT;
            return null;
        }

        // Like Linux, a process may not forge kernel-originated codes for others... but it may for itself with
        // negative codes only: SI_USER and SI_KERNEL are refused.
        int code = BitConverter.ToInt32(raw, 8);
        error = code >= 0 || code == SI_TKILL ? -Errno.EPERM : 0;
        return error == 0 ? raw : null;
    }

    private static long SendToThread(LinuxThread thread, int tgid, int tid, int signal, byte[]? raw)
    {
        if (tid <= 0 || (signal != 0 && !IsValid(signal)) || tgid <= 0 && tgid != thread.Process.Pid)
        {
            return -Errno.EINVAL;
        }

        var target = tgid == thread.Process.Pid ? CoreThreads.Find(thread.Process, tid) : null;
        if (target is null)
        {
            return -Errno.ESRCH;
        }

        if (signal != 0)
        {
            var info = raw is null
                ? SignalInfo.FromUser(signal, thread.Process.Pid, (int)HostCalls.GetUid(), SI_TKILL)
                : new SignalInfo(signal, BitConverter.ToInt32(raw, 8), Raw: raw);
            SignalDelivery.Send(target, info);
        }

        return 0;
    }

    /// <summary>stack_t on LP64.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    private struct StackT
    {
        [FieldOffset(0)]
        public ulong Base;

        [FieldOffset(8)]
        public int Flags;

        [FieldOffset(16)]
        public ulong Size;
    }
}
