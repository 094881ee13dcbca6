using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Memory;

/// <summary>The one place memory mapping asks the file-descriptor table for the host descriptor behind a guest one.</summary>
internal static class GuestFiles
{
    /// <summary>The host descriptor behind guest descriptor <paramref name="guestFd"/>; false when it is not open.</summary>
    public static bool TryGetHostFd(LinuxProcess process, int guestFd, out int hostFd) => process.Files.TryGetHostFd(guestFd, out hostFd);
}
