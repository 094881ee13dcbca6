using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// Ends the edgevisor host process the way the guest ended, so a parent (a shell, a guest's wait4 on a forked
/// child) sees the same status: a normal exit returns the code; a signal death restores the host's default action
/// for that signal and raises it, so the parent sees WIFSIGNALED with the same number (no core file is written).
/// </summary>
public static class HostExit
{
    /// <summary>
    /// For a signal death: prints qemu's style of notice for core-dumping signals, then dies by the signal; if the
    /// host refuses (the signal is ignored or blocked beyond reach), returns 128 + signal. For an exit: returns the code.
    /// </summary>
    public static int Finish(ExitStatus status, TextWriter? diagnostics)
    {
        if (!status.IsSignaled)
        {
            return status.Code;
        }

        int signal = status.Signal;
        if (SignalNumbers.DefaultAction(signal) == DefaultSignalAction.Core)
        {
            diagnostics?.WriteLine($"edgevisor: guest terminated by signal {signal} ({SignalNumbers.Name(signal)})");
        }

        diagnostics?.Flush();
        Console.Out.Flush();
        Console.Error.Flush();
        var noCore = new HostCalls.RLimit();
        _ = HostCalls.SetRlimit(RlimitCore, noCore);
        _ = HostCalls.Signal(signal, 0); // SIG_DFL: replaces the runtime's handler
        ulong mask = 1UL << (signal - 1);
        _ = HostCalls.SigProcMask(SigUnblock, mask, 0);
        _ = HostCalls.Kill(Environment.ProcessId, signal);
        Thread.Sleep(1000); // delivery is asynchronous for a process-directed kill
        return 128 + signal;
    }

    private const int RlimitCore = 4;
    private const int SigUnblock = 1;
}
