using System.Text.RegularExpressions;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>The file systems a container sees besides its image: the kernel's, its network files, volumes and tmpfs.</summary>
internal static partial class ContainerMounts
{
    /// <summary>Each tmpfs is RAM: bounded so a runaway writer fills its tmpfs, not the device's memory.</summary>
    public const string TmpfsSize = "64m";

    /// <summary>The API file systems every Linux program expects, with the usual hardening options.</summary>
    private static readonly RuntimeMount[] Kernel =
    [
        new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
        new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=" + TmpfsSize]),
        new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        new("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        new("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]),
    ];

    /// <summary>
    /// All mounts, in mount order; checks volume names and container paths and throws
    /// <see cref="WorkloadStartException"/> naming a bad one.
    /// </summary>
    public static IReadOnlyList<RuntimeMount> For(ContainerSpec spec, NetworkAttachment network, string volumesDirectory, IReadOnlyList<ImageVolume> imageVolumes)
    {
        var mounts = new List<RuntimeMount>(Kernel)
        {
            new("/etc/resolv.conf", "bind", network.ResolvConfPath, ["rbind", "ro", "nosuid", "nodev", "noexec"]),
            new("/etc/hosts", "bind", network.HostsPath, ["rbind", "ro", "nosuid", "nodev", "noexec"]),
        };
        foreach (VolumeSpec volume in spec.Volumes)
        {
            mounts.Add(new(CheckedPath(volume.Path, $"volume '{volume.Name}'"), "bind", VolumeDirectory(volumesDirectory, volume.Name), ["rbind", volume.ReadOnly ? "ro" : "rw", "nosuid", "nodev"]));
        }

        foreach (string path in spec.Tmpfs)
        {
            mounts.Add(new(CheckedPath(path, "tmpfs"), "tmpfs", "tmpfs", ["nosuid", "nodev", "mode=1777", "size=" + TmpfsSize]));
        }

        foreach (ImageVolume volume in imageVolumes)
        {
            mounts.Add(new(volume.Path, "bind", volume.Directory, ["rbind", "rw", "nosuid", "nodev"]));
        }

        return mounts;
    }

    /// <summary>Where <see cref="For"/> mounts something whatever the image says, and what: an image volume must stay clear of these.</summary>
    public static IReadOnlyList<(string Path, string What)> Taken(ContainerSpec spec) =>
    [
        .. Kernel.Select(mount => (mount.Destination, $"the runtime's {mount.Type}")),
        ("/etc/resolv.conf", "the network's resolv.conf"),
        ("/etc/hosts", "the network's hosts file"),
        .. spec.Volumes.Select(volume => (volume.Path, $"the spec's volume '{volume.Name}'")),
        .. spec.Tmpfs.Select(path => (path, "the spec's tmpfs")),
    ];

    /// <summary>&lt;volumes&gt;/&lt;name&gt;, after checking the name cannot point anywhere else.</summary>
    public static string VolumeDirectory(string volumesDirectory, string name) =>
        VolumeName().IsMatch(name)
            ? Path.Combine(volumesDirectory, name)
            : throw new WorkloadStartException($"container volume name '{name}' is not a plain name (letters, digits, '.', '_', '-')");

    private static string CheckedPath(string path, string what) =>
        path.StartsWith('/') && path != "/" && !path.Split('/').Contains("..") && !path.Contains('\0', StringComparison.Ordinal)
            ? path
            : throw new WorkloadStartException($"container {what} path '{path}' is not an absolute path below / without '..'");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VolumeName();
}
