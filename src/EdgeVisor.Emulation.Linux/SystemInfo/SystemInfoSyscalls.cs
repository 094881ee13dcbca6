using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>System calls of the SystemInfo feature: identity, system, time and resource calls.</summary>
public static class SystemInfoSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        IdentitySyscalls.Register(table);
        SystemSyscalls.Register(table);
        TimeSyscalls.Register(table);
        ResourceSyscalls.Register(table);
    }
}
