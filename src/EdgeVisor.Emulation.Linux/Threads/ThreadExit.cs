using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// What the kernel does for a thread that ends (exit, or every thread at exit_group): release the robust futexes it
/// still holds, then zero its clear_child_tid word and wake one waiter there (how pthread_join learns of the exit).
/// Subscribed to <see cref="LinuxProcess.ThreadExiting"/>, so it runs once per thread on the thread's own host thread.
/// </summary>
public static class ThreadExit
{
    /// <summary>Cleans up after <paramref name="thread"/>.</summary>
    public static void Run(LinuxThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        RobustList.Release(thread);
        ulong clear = thread.ClearChildTidAddress;
        if (clear != 0)
        {
            thread.ClearChildTidAddress = 0;
            if (thread.Process.Memory.TryWriteInt32(clear, 0))
            {
                thread.Process.Futexes.Wake(clear, 1);
            }
        }

    }
}
