using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Futex waiters of the process.</summary>
public sealed partial class LinuxProcess
{
    private FutexTable? _futexes;

    /// <summary>Threads sleeping on futex words of this address space (linux-proc).</summary>
    public FutexTable Futexes => _futexes ?? Interlocked.CompareExchange(ref _futexes, new FutexTable(), null) ?? _futexes;
}
