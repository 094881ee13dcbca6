using System.Diagnostics;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// Blocking host calls that a guest signal can interrupt. A guest signal is not a host signal, so a thread blocked in
/// a host read would never notice it; instead, calls that may block first wait for readiness in a host ppoll cut into
/// short slices, checking between slices for a deliverable guest signal or a process exit. Interrupted calls return
/// -ERESTARTSYS (<see cref="SignalDelivery.RestartSys"/>) so the signal layer restarts them or turns them into EINTR,
/// as Linux does for pipes, sockets and terminals.
/// </summary>
internal static unsafe class InterruptibleWait
{
    /// <summary>POLLIN.</summary>
    public const short Readable = 0x001;

    /// <summary>POLLOUT.</summary>
    public const short Writable = 0x004;

    /// <summary>Longest host wait between two looks at the guest's pending signals.</summary>
    private const int SliceMilliseconds = 20;

    private const int FGetFl = 3;
    private const short ErrorOrHangup = 0x008 | 0x010 | 0x020;

    /// <summary>
    /// Waits until host descriptor <paramref name="hostFd"/> is ready for <paramref name="events"/> (or in error), unless
    /// it is non-blocking or <paramref name="nonBlocking"/> says the call will not block. Returns 0 to go ahead with
    /// the call, or <see cref="SignalDelivery.RestartSys"/> when a signal interrupted the wait.
    /// </summary>
    public static long ForDescriptor(LinuxThread thread, int hostFd, short events, bool nonBlocking = false)
    {
        var fd = new HostPollFd { Fd = hostFd, Events = events };
        long* now = stackalloc long[2] { 0, 0 };
        if (nonBlocking || HostLibc.Ppoll(&fd, 1, now, null) != 0)
        {
            return 0;
        }

        int flags = HostLibc.Fcntl(hostFd, FGetFl, 0);
        if (flags < 0 || (flags & OpenFlags.NonBlocking) != 0)
        {
            return 0;
        }

        long* slice = stackalloc long[2];
        while (true)
        {
            if (Interrupted(thread))
            {
                return Restart(thread);
            }

            fd.Revents = 0;
            slice[0] = 0;
            slice[1] = SliceMilliseconds * 1_000_000L;
            int ready = HostLibc.Ppoll(&fd, 1, slice, null);
            if (ready != 0 || (fd.Revents & ErrorOrHangup) != 0)
            {
                return 0; // ready, or a host error the real call will report
            }
        }
    }

    /// <summary>
    /// A host ppoll over <paramref name="fds"/> until something is ready or <paramref name="timeoutNanoseconds"/>
    /// passes (negative: no limit). Returns the number ready, -errno, or null when a guest signal or a process exit
    /// interrupted the wait; <paramref name="remainingNanoseconds"/> is what is left of the timeout.
    /// </summary>
    public static int? Poll(LinuxThread thread, HostPollFd* fds, int count, long timeoutNanoseconds, out long remainingNanoseconds)
    {
        long start = Stopwatch.GetTimestamp();
        remainingNanoseconds = timeoutNanoseconds;
        long* spec = stackalloc long[2];
        while (true)
        {
            long slice = timeoutNanoseconds < 0 ? SliceMilliseconds * 1_000_000L : Math.Min(remainingNanoseconds, SliceMilliseconds * 1_000_000L);
            spec[0] = slice / 1_000_000_000;
            spec[1] = slice % 1_000_000_000;
            int result = HostLibc.Ppoll(fds, (nuint)count, spec, null);
            if (timeoutNanoseconds >= 0)
            {
                long elapsed = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                remainingNanoseconds = Math.Max(0, timeoutNanoseconds - elapsed);
            }

            if (result < 0 && HostResult.LastError() is var error && error != -Errno.EINTR)
            {
                return (int)error;
            }

            if (result > 0 || (timeoutNanoseconds >= 0 && remainingNanoseconds == 0))
            {
                return Math.Max(result, 0);
            }

            if (Interrupted(thread))
            {
                return null;
            }
        }
    }

    /// <summary>Whether the thread should stop waiting: a guest signal it would act on is pending, or the process is ending.</summary>
    public static bool Interrupted(LinuxThread thread) => thread.SignalState.HasDeliverable || thread.Process.IsExiting;

    /// <summary>Records X0 for a restart and returns -ERESTARTSYS.</summary>
    public static long Restart(LinuxThread thread)
    {
        thread.SignalState.RestartX0 = thread.Cpu.X[0];
        return SignalDelivery.RestartSys;
    }
}
