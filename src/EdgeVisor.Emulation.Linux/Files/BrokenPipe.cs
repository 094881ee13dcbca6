using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// Writing to a pipe or socket with no reader: the host (a .NET process ignores SIGPIPE) returns EPIPE, and the guest
/// must then get SIGPIPE as Linux would send it, so that `yes | head -1` ends.
/// </summary>
public static class BrokenPipe
{
    /// <summary>SIGPIPE.</summary>
    public const int SignalNumber = 13;

    /// <summary>
    /// How a thread-directed signal reaches the guest; linux-proc's signal layer sets it (e.g. to SignalDelivery's send
    /// entry point). Null: EPIPE is returned without a signal.
    /// </summary>
    public static Action<LinuxThread, int>? SendSignal { get; set; }

    /// <summary>Passes <paramref name="result"/> through, sending SIGPIPE to <paramref name="thread"/> when it is -EPIPE.</summary>
    public static long Check(LinuxThread thread, long result)
    {
        if (result == -Errno.EPIPE)
        {
            SendSignal?.Invoke(thread, SignalNumber);
        }

        return result;
    }
}
