using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Signal state shared by the process's threads.</summary>
public sealed partial class LinuxProcess
{
    private ProcessSignals? _signalState;

    /// <summary>Dispositions, process-directed pending signals, the sigreturn trampoline (linux-proc).</summary>
    public ProcessSignals SignalState => _signalState ?? Interlocked.CompareExchange(ref _signalState, new ProcessSignals(), null) ?? _signalState;
}
