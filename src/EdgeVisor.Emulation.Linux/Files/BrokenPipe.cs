using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// Writing to a pipe or socket with no reader: the host (a .NET process ignores SIGPIPE) returns EPIPE, and the guest
/// must then get SIGPIPE as Linux would send it, so that `yes | head -1` ends.
/// </summary>
internal static class BrokenPipe
{
    private const int SigPipe = 13;

    /// <summary>Passes <paramref name="result"/> through, sending SIGPIPE to <paramref name="thread"/> when it is -EPIPE.</summary>
    public static long Check(LinuxThread thread, long result)
    {
        if (result == -Errno.EPIPE)
        {
            SignalDelivery.Send(thread, SigPipe);
        }

        return result;
    }
}
