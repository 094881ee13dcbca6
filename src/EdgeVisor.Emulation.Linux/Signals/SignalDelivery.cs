using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// Entry points the thread loop calls for signals (linux-proc work; these bodies are placeholders).
/// </summary>
public static class SignalDelivery
{
    /// <summary>
    /// A synchronous signal caused by the instruction at PC (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE): runs the
    /// guest's handler if it has one, otherwise the default action.
    /// </summary>
    public static void RaiseFault(LinuxThread thread, int signal, int code, ulong address)
    {
        ArgumentNullException.ThrowIfNull(thread);
        throw new NotImplementedException($"signal {signal} (code {code}) at 0x{address:x}: signal delivery is not implemented yet");
    }

    /// <summary>Delivers pending unblocked signals to <paramref name="thread"/>; called after every syscall and on an interrupted run.</summary>
    public static void DeliverPending(LinuxThread thread) => ArgumentNullException.ThrowIfNull(thread);
}
