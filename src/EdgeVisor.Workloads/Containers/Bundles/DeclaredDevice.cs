using System.Text.RegularExpressions;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>
/// A host device a container may use because its spec declares it. Only GPIO chips and I2C buses are accepted: they
/// are what edge apps drive, and each is one well-scoped character device (a block device, /dev/mem or a tty would
/// hand the container the host's storage, memory or console).
/// </summary>
internal sealed partial record DeclaredDevice(string Path, long Major, long Minor, uint FileMode, uint Uid, uint Gid)
{
    /// <summary>
    /// Checks <paramref name="path"/> is <c>/dev/gpiochipN</c> or <c>/dev/i2c-N</c> and is a character device on
    /// this host, and reads its numbers and permissions; throws <see cref="WorkloadStartException"/> naming the problem.
    /// </summary>
    public static DeclaredDevice Inspect(string path)
    {
        if (!AcceptedPath().IsMatch(path))
        {
            throw new WorkloadStartException($"container device '{path}' is not allowed: only /dev/gpiochipN and /dev/i2c-N can be passed to a container");
        }

        if (Statx.Get(Statx.AtFdCwd, path, 0, Statx.BasicStats, out var stat) != 0)
        {
            throw new WorkloadStartException($"container device {path}: {BundleNative.LastErrorMessage()}");
        }

        if ((stat.Mode & Statx.FileTypeMask) != Statx.CharacterDevice)
        {
            throw new WorkloadStartException($"container device {path} is not a character device on this host");
        }

        return new DeclaredDevice(path, stat.RdevMajor, stat.RdevMinor, stat.Mode & 0x1FFu, stat.Uid, stat.Gid);
    }

    /// <summary>The node the runtime makes in the container's /dev, with the host's numbers, owner and mode.</summary>
    public RuntimeDevice Node => new(Path, "c", Major, Minor, FileMode, Uid, Gid);

    /// <summary>The device-cgroup rule that lets the container open it (everything else is denied).</summary>
    public RuntimeDeviceRule Rule => new(Allow: true, "c", Major, Minor, "rwm");

    [GeneratedRegex(@"^/dev/(gpiochip|i2c-)[0-9]{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex AcceptedPath();
}
