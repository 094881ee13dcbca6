using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// The few things signals, clone and exit need from the process's thread registry and run loop (the kernel core's
/// <see cref="LinuxProcess"/>): the live threads, a lookup by tid, ending the process, and the hook that cleans up
/// after every thread. Kept in one place so the rest of this feature does not depend on how the registry is built.
/// </summary>
public static class CoreThreads
{
    /// <summary>Subscribes the per-thread exit work (robust lists, clear_child_tid) once per process.</summary>
    internal static void Attach(LinuxProcess process) => process.ThreadExiting += ThreadExit.Run;

    /// <summary>The live threads of <paramref name="process"/> (a copy).</summary>
    public static LinuxThread[] All(LinuxProcess process) => [.. process.Threads];

    /// <summary>The live thread with guest tid <paramref name="tid"/>, or null.</summary>
    public static LinuxThread? Find(LinuxProcess process, int tid) => process.TryGetThread(tid, out var thread) ? thread : null;

    /// <summary>Ends the whole process because of <paramref name="signal"/>; every core is asked to stop and every blocked wait wakes.</summary>
    public static void Terminate(LinuxProcess process, int signal)
    {
        process.ExitGroup(ExitStatus.Signaled(signal, SignalNumbers.DefaultAction(signal) == DefaultSignalAction.Core));
        foreach (var thread in All(process))
        {
            thread.SignalState.Interrupt();
        }
    }
}
