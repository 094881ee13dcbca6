using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Threads;
using static EdgeVisor.Emulation.Linux.Signals.SignalNumbers;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// Sending and delivering signals. Senders queue a signal on a thread or on the process and interrupt a thread that
/// can take it (its core stops at the next block boundary, its blocking system call wakes); the thread itself then
/// calls <see cref="DeliverPending"/>, which runs the guest's handler by pushing a signal frame, or applies the default
/// action. Only the target thread ever touches its own registers.
/// </summary>
public static class SignalDelivery
{
    /// <summary>-ERESTARTSYS: a blocking call returns it when a signal interrupted it before it did anything; the call
    /// is re-executed if the handler has SA_RESTART (or no handler runs), else the guest sees -EINTR.</summary>
    public const long RestartSys = -512;

    /// <summary>-ERESTARTNOHAND: for calls Linux never restarts after a handler (pause, ppoll, pselect, epoll_wait,
    /// sigsuspend): the guest sees -EINTR when a handler runs, whatever SA_RESTART says; the call is re-executed
    /// only when no handler runs (the signal was ignored or taken by another thread).</summary>
    public const long RestartNoHandler = -514;

    /// <summary>
    /// A synchronous signal caused by the instruction at PC (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE): runs the
    /// guest's handler if it has one, otherwise the default action. Like Linux's force_sig, a blocked or ignored
    /// fault signal cannot be escaped: its disposition goes back to the default and the process dies.
    /// </summary>
    public static void RaiseFault(LinuxThread thread, int signal, int code, ulong address)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var process = thread.Process.SignalState;
        var state = thread.SignalState;
        lock (process.Lock)
        {
            var action = process.GetActionLocked(signal);
            if ((state.Blocked & Bit(signal)) != 0 || action.Handler == SIG_IGN)
            {
                process.SetActionLocked(signal, SignalAction.Default);
                state.Blocked &= ~Bit(signal);
            }

            state.Pending.Add(SignalInfo.FromFault(signal, code, address));
        }

        DeliverPending(thread);
    }

    /// <summary>Delivers pending unblocked signals to <paramref name="thread"/>; called after every syscall and on an interrupted run.</summary>
    public static void DeliverPending(LinuxThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var cpu = thread.Cpu;
        var state = thread.SignalState;
        state.CaptureHostThread();
        var process = thread.Process.SignalState;
        long interrupted = (long)cpu.X[0];
        bool restartPending = interrupted is RestartSys or RestartNoHandler;
        if (interrupted == RestartSys && NeverRestartedAfterHandler(cpu.X[8]))
        {
            interrupted = RestartNoHandler; // X8 still holds the number of the call that was interrupted
        }

        while (process.TerminatingSignal == 0)
        {
            int signal;
            SignalInfo? info;
            SignalAction action;
            lock (process.Lock)
            {
                ulong deliverable = ~state.Blocked;
                signal = state.Pending.Lowest(deliverable);
                info = signal != 0 ? state.Pending.Take(signal) : null;
                if (signal == 0)
                {
                    signal = process.Pending.Lowest(deliverable);
                    info = signal != 0 ? process.Pending.Take(signal) : null;
                }

                if (signal == 0 || info is null)
                {
                    break;
                }

                action = process.GetActionLocked(signal);
                if (action.HasHandler && action.Has(SA_RESETHAND))
                {
                    process.SetActionLocked(signal, SignalAction.Default);
                }
            }

            if (action.Handler == SIG_IGN)
            {
                continue;
            }

            if (action.Handler == SIG_DFL)
            {
                var kind = DefaultAction(signal);
                if (kind is DefaultSignalAction.Terminate or DefaultSignalAction.Core)
                {
                    Terminate(thread.Process, signal);
                    return;
                }

                continue; // ignore, stop (no job control for the guest) and continue
            }

            if (restartPending)
            {
                restartPending = false;
                if (interrupted == RestartSys && action.Has(SA_RESTART))
                {
                    RestartSyscall(thread);
                }
                else
                {
                    cpu.X[0] = unchecked((ulong)-Errno.EINTR);
                }
            }

            if (!PushHandlerFrame(thread, signal, info, action))
            {
                Terminate(thread.Process, SIGSEGV);
                return;
            }
        }

        if (restartPending)
        {
            RestartSyscall(thread); // no handler ran: the call goes on as if nothing happened
        }

        if (state.SuspendedMask is { } mask)
        {
            lock (process.Lock)
            {
                state.Blocked = mask;
                state.SuspendedMask = null;
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to one thread as the kernel would (e.g. SIGPIPE after a write to a broken pipe).</summary>
    public static void Send(LinuxThread thread, int signal) => Send(thread, SignalInfo.FromUser(signal, thread.Process.Pid, 0, SI_KERNEL));

    /// <summary>Queues <paramref name="info"/> on <paramref name="thread"/> and interrupts it if it does not block the signal.</summary>
    public static void Send(LinuxThread thread, SignalInfo info)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(info);
        var process = thread.Process.SignalState;
        lock (process.Lock)
        {
            if (IsDiscarded(process, thread.SignalState, info.Signal))
            {
                return;
            }

            thread.SignalState.Pending.Add(info);
        }

        WakeFor(thread, info.Signal);
    }

    /// <summary>
    /// Queues a signal on the process (kill, host signals): one thread that does not block it is interrupted to take
    /// it. A fatal signal nobody handles ends the process at once.
    /// </summary>
    public static void SendToProcess(LinuxProcess process, SignalInfo info)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(info);
        var state = process.SignalState;
        var threads = CoreThreads.All(process);
        lock (state.Lock)
        {
            if (threads.Length > 0 && IsDiscarded(state, threads[0].SignalState, info.Signal))
            {
                return;
            }

            state.Pending.Add(info);
        }

        var target = Array.Find(threads, t => (t.SignalState.Blocked & Bit(info.Signal)) == 0);
        if (target is not null)
        {
            WakeFor(target, info.Signal);
        }
    }

    /// <summary>Ends the process because of <paramref name="signal"/>: records it and stops every thread.</summary>
    public static void Terminate(LinuxProcess process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        var state = process.SignalState;
        lock (state.Lock)
        {
            if (state.TerminatingSignal != 0)
            {
                return;
            }

            state.TerminatingSignal = signal;
        }

        CoreThreads.Terminate(process, signal);
    }

    /// <summary>
    /// Calls Linux never restarts once a handler has run, whatever SA_RESTART says (signal(7)): waits with a timeout or
    /// on several sources, and sleeps.
    /// </summary>
    private static bool NeverRestartedAfterHandler(ulong number) => (SyscallNumber)(int)Math.Min(number, int.MaxValue) is
        SyscallNumber.Ppoll or SyscallNumber.Pselect6 or SyscallNumber.EpollPwait or SyscallNumber.EpollPwait2 or
        SyscallNumber.Nanosleep or SyscallNumber.ClockNanosleep or SyscallNumber.IoGetevents or SyscallNumber.Semtimedop or
        SyscallNumber.Msgrcv or SyscallNumber.Msgsnd or SyscallNumber.RtSigtimedwait or SyscallNumber.RtSigsuspend;

    private static bool IsDiscarded(ProcessSignals process, ThreadSignals thread, int signal) =>
        signal != SIGKILL && process.IsIgnoredLocked(signal) && (thread.Blocked & Bit(signal)) == 0;

    private static void WakeFor(LinuxThread thread, int signal)
    {
        if (signal == SIGKILL)
        {
            Terminate(thread.Process, SIGKILL);
            return;
        }

        thread.SignalState.Interrupt();
    }

    private static void RestartSyscall(LinuxThread thread)
    {
        thread.Cpu.X[0] = thread.SignalState.RestartX0;
        thread.Cpu.Pc -= 4;
    }

    /// <summary>Builds the frame and points the core at the handler; false when the frame cannot be written.</summary>
    private static bool PushHandlerFrame(LinuxThread thread, int signal, SignalInfo info, SignalAction action)
    {
        var cpu = thread.Cpu;
        var state = thread.SignalState;
        var process = thread.Process.SignalState;
        ulong sp = cpu.Sp;
        bool onAlt = state.IsOnAltStack(sp);
        var alt = (state.AltStackBase, onAlt ? ThreadSignals.SS_ONSTACK : state.AltStackFlags, state.AltStackSize);
        ulong top = sp;
        if (action.Has(SA_ONSTACK) && state.AltStackFlags != ThreadSignals.SS_DISABLE && !onAlt)
        {
            top = state.AltStackBase + state.AltStackSize;
            if ((state.AltStackFlags & ThreadSignals.SS_AUTODISARM) != 0)
            {
                state.AltStackBase = 0;
                state.AltStackSize = 0;
                state.AltStackFlags = ThreadSignals.SS_DISABLE;
            }
        }

        ulong savedMask = state.SuspendedMask ?? state.Blocked;
        ulong faultAddress = info.Code > 0 && signal is SIGSEGV or SIGBUS or SIGILL or SIGTRAP or SIGFPE ? info.Address : 0;
        ulong? frame = SignalFrame.Write(cpu, thread.Process.Memory, top, info, savedMask, faultAddress, alt);
        if (frame is not { } at)
        {
            return false;
        }

        lock (process.Lock)
        {
            ulong blocked = state.Blocked | action.Mask;
            if (!action.Has(SA_NODEFER))
            {
                blocked |= Bit(signal);
            }

            state.Blocked = blocked;
            state.SuspendedMask = null;
        }

        ulong record = (top - 16) & ~15UL;
        cpu.X[0] = (ulong)signal;
        cpu.X[1] = at + SignalFrame.InfoOffset;
        cpu.X[2] = at + SignalFrame.UContextOffset;
        cpu.X[29] = record;
        cpu.X[30] = action.Has(SA_RESTORER) && action.Restorer != 0 ? action.Restorer : SignalTrampoline.Ensure(thread.Process);
        cpu.Sp = at;
        cpu.Pc = action.Handler;
        return true;
    }
}
