using EdgeVisor.Emulation.Linux.Files;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>The Files feature's per-process state.</summary>
public sealed partial class LinuxProcess
{
    /// <summary>
    /// The guest's file descriptors (guest number → host descriptor + FD_CLOEXEC). Starts with guest 0/1/2 on the host's
    /// standard streams; a forked child replaces the contents with <see cref="FileDescriptorTable.Restore"/>.
    /// </summary>
    public FileDescriptorTable Files { get; } = FileDescriptorTable.WithStandardStreams();

    /// <summary>Host memfd holding the last /proc/self/maps snapshot (see <see cref="GuestMaps"/>), or -1.</summary>
    internal int MapsSnapshotFd { get; set; } = -1;
}
