using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>
/// System calls of the Network feature: sockets on the host's network stack, each guest socket a host socket behind a
/// guest descriptor (see <see cref="Files.FileDescriptorTable"/>).
/// </summary>
public static class NetworkSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        SocketSyscalls.Register(table);
        MessageSyscalls.Register(table);
    }
}
