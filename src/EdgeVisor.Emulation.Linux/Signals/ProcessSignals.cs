using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// The signal state a process shares between its threads: the dispositions (sigaction table), the signals sent to
/// the process as a whole, the sigreturn trampoline, and how the process ended if a signal killed it.
/// </summary>
public sealed class ProcessSignals
{
    private readonly SignalAction[] _actions = new SignalAction[SignalNumbers.Count + 1];

    /// <summary>Guards every field here and every thread's <see cref="ThreadSignals"/> masks and queues.</summary>
    public object Lock { get; } = new();

    /// <summary>Signals directed at the process (kill), taken by whichever thread does not block them.</summary>
    public PendingSignals Pending { get; } = new();

    /// <summary>Guest address of the sigreturn trampoline page, 0 until the first handler runs.</summary>
    public ulong TrampolineAddress { get; internal set; }

    /// <summary>The signal that ended the process, 0 while it lives or when it exited normally.</summary>
    public int TerminatingSignal { get; internal set; }

    /// <summary>Mask and alternate stack the first thread starts with (a forked child continuing its parent's thread).</summary>
    public InitialThreadSignals? InitialThread { get; set; }

    /// <summary>The disposition of <paramref name="signal"/> (1..64).</summary>
    public SignalAction GetAction(int signal)
    {
        lock (Lock)
        {
            return _actions[signal];
        }
    }

    /// <summary>Replaces the disposition of <paramref name="signal"/>; caller holds <see cref="Lock"/>.</summary>
    internal void SetActionLocked(int signal, SignalAction action) => _actions[signal] = action;

    internal SignalAction GetActionLocked(int signal) => _actions[signal];

    /// <summary>execve: handled signals go back to SIG_DFL, ignored ones stay ignored, flags reset.</summary>
    public void ResetHandlersForExec()
    {
        lock (Lock)
        {
            for (int s = 1; s <= SignalNumbers.Count; s++)
            {
                _actions[s] = _actions[s].Handler == SignalNumbers.SIG_IGN ? new SignalAction(SignalNumbers.SIG_IGN, 0, 0, 0) : SignalAction.Default;
            }

            TrampolineAddress = 0;
        }
    }

    /// <summary>All 64 dispositions (fork copies them into the child).</summary>
    public SignalAction[] Snapshot()
    {
        lock (Lock)
        {
            return (SignalAction[])_actions.Clone();
        }
    }

    /// <summary>Installs dispositions captured by <see cref="Snapshot"/>.</summary>
    public void Restore(ReadOnlySpan<SignalAction> actions)
    {
        lock (Lock)
        {
            actions.CopyTo(_actions);
        }
    }

    /// <summary>Whether a signal arriving now would be discarded (SIG_IGN, or SIG_DFL whose default is to ignore).</summary>
    internal bool IsIgnoredLocked(int signal)
    {
        var action = _actions[signal];
        return action.Handler == SignalNumbers.SIG_IGN
            || (action.Handler == SignalNumbers.SIG_DFL && SignalNumbers.DefaultAction(signal) is DefaultSignalAction.Ignore or DefaultSignalAction.Continue);
    }
}

/// <summary>A thread's signal mask and alternate stack, carried across fork.</summary>
public sealed record InitialThreadSignals(ulong Blocked, ulong AltStackBase, int AltStackFlags, ulong AltStackSize);
