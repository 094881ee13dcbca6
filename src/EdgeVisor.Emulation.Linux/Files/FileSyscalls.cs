using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>System calls of the Files feature (linux-files work).</summary>
public static class FileSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
    }
}
