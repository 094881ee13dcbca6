using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>System calls of the Processes feature (linux-proc work).</summary>
public static class ProcessSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
    }
}
