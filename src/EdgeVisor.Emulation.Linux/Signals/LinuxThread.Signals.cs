using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Per-thread signal state.</summary>
public sealed partial class LinuxThread
{
    private ThreadSignals? _signalState;

    /// <summary>Blocked mask, thread-directed pending signals, alternate stack, wait gate (linux-proc).</summary>
    public ThreadSignals SignalState => _signalState ?? Interlocked.CompareExchange(ref _signalState, new ThreadSignals(this), null) ?? _signalState;
}
