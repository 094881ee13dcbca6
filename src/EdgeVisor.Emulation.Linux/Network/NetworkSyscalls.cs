using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>System calls of the Network feature (linux-files work).</summary>
public static class NetworkSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
    }
}
