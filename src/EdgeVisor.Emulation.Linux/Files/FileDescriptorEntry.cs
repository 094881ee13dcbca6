namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// One open guest file descriptor: the guest's number, the host descriptor behind it, and the guest's FD_CLOEXEC flag
/// (host descriptors themselves are always close-on-exec on the host, so the .NET runtime never leaks them).
/// </summary>
public readonly record struct FileDescriptorEntry(int GuestFd, int HostFd, bool CloseOnExec, FileKind Kind);
