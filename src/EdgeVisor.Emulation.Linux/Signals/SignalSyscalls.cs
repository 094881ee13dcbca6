using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>System calls of the Signals feature (linux-proc work).</summary>
public static class SignalSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
    }
}
