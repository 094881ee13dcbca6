namespace EdgeVisor.Workloads.Downloads;

/// <summary>Free space where a directory lives (statvfs through <see cref="DriveInfo"/>, which takes any path on Unix).</summary>
public static class FreeSpace
{
    /// <summary>Bytes an unprivileged process may still write on the file system holding <paramref name="directory"/>.</summary>
    public static long Available(string directory) => new DriveInfo(directory).AvailableFreeSpace;
}
