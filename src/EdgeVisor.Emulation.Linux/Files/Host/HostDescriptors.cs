namespace EdgeVisor.Emulation.Linux.Files.Host;

/// <summary>Releasing host descriptors that guest descriptors owned.</summary>
internal static unsafe class HostDescriptors
{
    private static ReadOnlySpan<byte> DevNull => "/dev/null\0"u8;

    /// <summary>
    /// Closes <paramref name="hostFd"/>; returns 0 or -errno. The host's standard streams (0, 1, 2) are not closed but
    /// replaced by /dev/null: the guest's end of a pipe or terminal goes away just the same (a reader sees EOF), while
    /// the numbers stay taken, so neither the .NET runtime's console nor a later guest open ever ends up on them.
    /// </summary>
    public static int Release(int hostFd)
    {
        if (hostFd > 2)
        {
            return (int)HostResult.Of(HostLibc.Close(hostFd));
        }

        fixed (byte* path = DevNull)
        {
            int nullFd = HostLibc.OpenAt(AtFdCwd, path, OpenFlags.HostReadWrite | OpenFlags.HostCloseOnExec, 0);
            if (nullFd < 0)
            {
                return (int)HostResult.Of(HostLibc.Close(hostFd));
            }

            _ = HostLibc.Dup3(nullFd, hostFd, 0);
            _ = HostLibc.Close(nullFd);
            return 0;
        }
    }

    /// <summary>AT_FDCWD.</summary>
    public const int AtFdCwd = -100;
}
