using EdgeVisor.Emulation.Linux.Files.Syscalls;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// System calls of the Files feature: descriptors, files, directories, terminals, pipes and polling. Every guest
/// descriptor is backed by a real host descriptor (see <see cref="FileDescriptorTable"/>), so the host kernel provides
/// the semantics and errno values; this layer translates numbers, paths, flags and the few structures whose layout
/// differs between arm64 and the host.
/// </summary>
public static class FileSyscalls
{
    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        DescriptorSyscalls.Register(table);
        OpenSyscalls.Register(table);
        ReadWriteSyscalls.Register(table);
        StatSyscalls.Register(table);
        DirectorySyscalls.Register(table);
        AttributeSyscalls.Register(table);
        IoctlSyscalls.Register(table);
        ChannelSyscalls.Register(table);
        PollSyscalls.Register(table);
        EpollSyscalls.Register(table);
        TransferSyscalls.Register(table);
    }
}
