using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>System calls of the Threads feature (linux-proc work).</summary>
public static class ThreadSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
    }
}
