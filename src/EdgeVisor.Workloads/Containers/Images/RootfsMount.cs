namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// One container's root file system: the image's snapshots as overlayfs lower layers, with an upper and work
/// directory of its own under the container's directory (thrown away with the container). Mounting again over a
/// container directory whose upper directory survives (a restart in place) keeps what the container wrote.
/// </summary>
public sealed class RootfsMount : IDisposable
{
    private const UnixFileMode RootMode = (UnixFileMode)0x1ed; // 0755: the container's '/' takes the upper directory's mode
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _containerDirectory;
    private bool _disposed;

    private RootfsMount(string containerDirectory, string path)
    {
        _containerDirectory = containerDirectory;
        Path = path;
    }

    /// <summary>The merged directory (the bundle's rootfs).</summary>
    public string Path { get; }

    /// <summary>Mounts <paramref name="image"/> at &lt;containerDirectory&gt;/rootfs; throws <see cref="WorkloadStartException"/> naming why not.</summary>
    public static RootfsMount Mount(LocalImage image, string containerDirectory)
    {
        ArgumentNullException.ThrowIfNull(image);
        string directory = System.IO.Path.GetFullPath(containerDirectory);
        string upper = System.IO.Path.Combine(directory, "upper");
        string work = System.IO.Path.Combine(directory, "work");
        string rootfs = System.IO.Path.Combine(directory, "rootfs");
        string empty = System.IO.Path.Combine(directory, "empty");

        // overlayfs takes the top layer first.
        var lower = image.LayerDirectories.Reverse().ToList();
        if (lower.Count == 0)
        {
            lower.Add(empty);
        }

        string? unusable = lower.Append(directory).FirstOrDefault(p => p.Contains(',', StringComparison.Ordinal) || p.Contains(':', StringComparison.Ordinal));
        if (unusable is not null)
        {
            throw new WorkloadStartException($"image {image.ManifestDigest}: path '{unusable}' has a ',' or ':', which an overlayfs mount option cannot carry");
        }

        string options = $"lowerdir={string.Join(':', lower)},upperdir={upper},workdir={work}";
        if (options.Length >= Environment.SystemPageSize)
        {
            throw new WorkloadStartException(
                $"image {image.ManifestDigest}: its {image.LayerDirectories.Count} layers make an overlayfs option string of {options.Length} bytes, more than the kernel's {Environment.SystemPageSize}");
        }

        if (MountTable.Under(rootfs).Count > 0)
        {
            Unmount(rootfs); // left by a crash: mount afresh
        }

        var made = new List<string>();
        Make(directory, Private, made);
        Make(upper, RootMode, made);
        Make(work, Private, made);
        Make(rootfs, RootMode, made);
        if (image.LayerDirectories.Count == 0)
        {
            Make(empty, RootMode, made);
        }

        if (ImageLibc.Mount("overlay", rootfs, "overlay", 0, options) != 0)
        {
            string error = ImageLibc.LastErrorText;
            made.Reverse();
            foreach (string path in made)
            {
                ImageStore.DeleteTree(path);
            }

            throw new WorkloadStartException($"image {image.ManifestDigest}: overlay mount at {rootfs} failed: {error}");
        }

        return new RootfsMount(directory, rootfs);
    }

    /// <summary>Unmounts whatever is mounted under <paramref name="containerDirectory"/> and deletes it (orphans after a crash).</summary>
    public static void Remove(string containerDirectory)
    {
        string directory = System.IO.Path.GetFullPath(containerDirectory);
        Unmount(directory);
        ImageStore.DeleteTree(directory);
    }

    /// <summary>Unmounts and deletes the upper and work directories.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Unmount(Path);
        foreach (string name in new[] { "rootfs", "upper", "work", "empty" })
        {
            ImageStore.DeleteTree(System.IO.Path.Combine(_containerDirectory, name));
        }

        _disposed = true;
    }

    /// <summary>
    /// Lazily unmounts everything at or under <paramref name="directory"/>, deepest first, and checks nothing is left:
    /// deleting through a live overlay mount would be wrong, so a mount that will not go is an error.
    /// </summary>
    private static void Unmount(string directory)
    {
        foreach (string mountPoint in MountTable.Under(directory))
        {
            if (ImageLibc.Umount2(mountPoint, ImageLibc.MntDetach) != 0 && ImageLibc.LastError != 22)
            {
                throw new IOException($"umount {mountPoint} failed: {ImageLibc.LastErrorText}");
            }
        }

        var left = MountTable.Under(directory);
        if (left.Count > 0)
        {
            throw new IOException($"{left[0]} is still mounted; not deleting {directory}");
        }
    }

    private static void Make(string path, UnixFileMode mode, List<string> made)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(path);
        made.Add(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
