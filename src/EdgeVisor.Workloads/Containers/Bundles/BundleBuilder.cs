using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>Everything one container's OCI runtime bundle is made from.</summary>
public sealed record BundleInput
{
    /// <summary>The runtime's container id.</summary>
    public required string ContainerId { get; init; }

    /// <summary>The workload name (the default host name).</summary>
    public required string WorkloadName { get; init; }

    public required ContainerSpec Container { get; init; }

    /// <summary>The image's configuration (defaults for args, env, user, working directory, stop signal).</summary>
    public required ImageConfig Image { get; init; }

    /// <summary>The mounted root file system (<see cref="RootfsMount.Path"/>).</summary>
    public required string RootfsPath { get; init; }

    /// <summary>Where the workload's volumes live (&lt;data&gt;/volumes/&lt;name&gt;), kept across updates.</summary>
    public required string VolumesDirectory { get; init; }

    public required NetworkAttachment Network { get; init; }

    /// <summary>The container's cgroup path (relative to the hierarchy root), e.g. <c>edgevisor/web</c>.</summary>
    public required string CgroupsPath { get; init; }
}

/// <summary>Turns an image configuration plus a <see cref="ContainerSpec"/> into an OCI runtime bundle's config.json.</summary>
public static class BundleBuilder
{
    /// <summary>
    /// Writes &lt;bundleDirectory&gt;/config.json (creating the volume directories it mounts); throws
    /// <see cref="WorkloadStartException"/> with one line naming what cannot be honoured (a user the image does not
    /// know, a device that is missing or not a GPIO/I2C character device).
    /// </summary>
    public static void Write(string bundleDirectory, BundleInput input) => throw new NotImplementedException("issue 6: bundle helper");
}
