using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// The signal mask argument of ppoll, pselect6 and epoll_pwait: installed for the duration of the wait, then put
/// back — at once when the call completes, or after the handler runs when a signal interrupted it (as rt_sigsuspend
/// does), so the handler sees the caller's mask.
/// </summary>
internal static class GuestSignalMask
{
    private const ulong SigsetSize = 8;

    /// <summary>Installs the mask at <paramref name="address"/> (none when 0): 0, -EINVAL for a bad size, -EFAULT.</summary>
    public static int Install(LinuxThread thread, ulong address, ulong size, out ulong? previous)
    {
        previous = null;
        if (address == 0)
        {
            return 0;
        }

        if (size != SigsetSize)
        {
            return -Errno.EINVAL;
        }

        if (!thread.Process.Memory.TryReadUInt64(address, out ulong mask))
        {
            return -Errno.EFAULT;
        }

        var state = thread.SignalState;
        lock (thread.Process.SignalState.Lock)
        {
            previous = state.Blocked;
            state.Blocked = mask;
        }

        return 0;
    }

    /// <summary>Puts the caller's mask back (or leaves that to signal delivery when <paramref name="interrupted"/>).</summary>
    public static void Restore(LinuxThread thread, ulong? previous, bool interrupted)
    {
        if (previous is not { } mask)
        {
            return;
        }

        var state = thread.SignalState;
        lock (thread.Process.SignalState.Lock)
        {
            if (interrupted)
            {
                state.SuspendedMask = mask;
            }
            else
            {
                state.Blocked = mask;
            }
        }
    }
}
