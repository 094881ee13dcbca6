namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// One container's root file system: the image's snapshots as overlayfs lower layers, with an upper and work
/// directory of its own under the container's directory (thrown away with the container).
/// </summary>
public sealed class RootfsMount : IDisposable
{
    private RootfsMount(string path) => Path = path;

    /// <summary>The merged directory (the bundle's rootfs).</summary>
    public string Path { get; }

    /// <summary>Mounts <paramref name="image"/> at &lt;containerDirectory&gt;/rootfs; throws <see cref="WorkloadStartException"/> naming why not.</summary>
    public static RootfsMount Mount(LocalImage image, string containerDirectory) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>Unmounts whatever is mounted under <paramref name="containerDirectory"/> and deletes it (orphans after a crash).</summary>
    public static void Remove(string containerDirectory) => throw new NotImplementedException("issue 6: store helper");

    /// <summary>Unmounts and deletes the upper and work directories.</summary>
    public void Dispose() => throw new NotImplementedException("issue 6: store helper");
}
