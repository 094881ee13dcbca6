using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Signal state shared by the process's threads.</summary>
public sealed partial class LinuxProcess
{
    private ProcessSignals? _signalState;

    /// <summary>Dispositions, process-directed pending signals, the sigreturn trampoline (linux-proc).</summary>
    public ProcessSignals SignalState => _signalState ?? CreateSignalState();

    private ProcessSignals CreateSignalState()
    {
        if (Interlocked.CompareExchange(ref _signalState, new ProcessSignals(), null) is null)
        {
            // First use: from now on every exiting thread releases its robust futexes and clear_child_tid word.
            global::EdgeVisor.Emulation.Linux.Threads.CoreThreads.Attach(this);
        }

        return _signalState;
    }
}
