using System.Text.Json;
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

    /// <summary>Where the workload's volumes live (&lt;data&gt;/volumes/&lt;name&gt;, the image's under <c>_image/</c>), kept across updates.</summary>
    public required string VolumesDirectory { get; init; }

    public required NetworkAttachment Network { get; init; }

    /// <summary>The container's cgroup path (relative to the hierarchy root), e.g. <c>edgevisor/web</c>.</summary>
    public required string CgroupsPath { get; init; }
}

/// <summary>Turns an image configuration plus a <see cref="ContainerSpec"/> into an OCI runtime bundle's config.json.</summary>
public static class BundleBuilder
{
    /// <summary>The name the runtime reads in a bundle directory.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>cgroup CPU bandwidth period in µs; the quota is <see cref="ContainerLimits.Cpus"/> periods' worth.</summary>
    private const ulong CpuPeriod = 100_000;

    /// <summary>The smallest quota the kernel accepts (1 ms per period).</summary>
    private const long MinimumCpuQuota = 1_000;

    /// <summary>Open files per process: enough for busy servers, far below what could exhaust the kernel.</summary>
    private const ulong OpenFiles = 65_536;

    /// <summary>
    /// <see cref="OpenFiles"/>, or the agent's own hard limit when that is lower: raising a hard limit takes
    /// CAP_SYS_RESOURCE, which an agent in a restricted service or CI sandbox may lack, and runc would then fail the
    /// start. Under systemd (hard limit 524288) a container gets the full figure.
    /// </summary>
    private static readonly Lazy<ulong> OpenFilesLimit = new(() =>
        BundleNative.GetRlimit(BundleNative.RlimitNofile, out var limit) == 0 ? Math.Min(OpenFiles, (ulong)limit.Maximum) : OpenFiles);

    /// <summary>Under memory pressure the kernel kills a container's process before the agent (0) that restarts it.</summary>
    private const int OomScoreAdj = 500;

    /// <summary>
    /// Writes &lt;bundleDirectory&gt;/config.json (creating the volume directories it mounts, the image's filled from
    /// the rootfs on first use) and returns one line for each image volume left out and why (<see cref="ImageVolumes"/>);
    /// throws <see cref="WorkloadStartException"/> with one line naming what cannot be honoured (a user the image does
    /// not know, a device that is missing or not a GPIO/I2C character device).
    /// </summary>
    public static IReadOnlyList<string> Write(string bundleDirectory, BundleInput input)
    {
        // Everything that can refuse the input runs before anything is written: a refused start leaves nothing behind.
        (RuntimeSpec spec, ContainerUser user, var plan) = Build(input);
        foreach (VolumeSpec volume in input.Container.Volumes)
        {
            CreateVolume(ContainerMounts.VolumeDirectory(input.VolumesDirectory, volume.Name), user);
        }

        foreach (ImageVolume volume in plan.Volumes)
        {
            ImageVolumes.Populate(volume, input.RootfsPath, user);
        }

        Directory.CreateDirectory(bundleDirectory);
        string path = Path.Combine(bundleDirectory, ConfigFileName);
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the environment may hold secrets
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, spec, RuntimeSpec.JsonOptions);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return plan.Ignored;
    }

    /// <summary>The runtime configuration for <paramref name="input"/>, the user it resolved and the image's volumes; writes nothing.</summary>
    internal static (RuntimeSpec Spec, ContainerUser User, (IReadOnlyList<ImageVolume> Volumes, IReadOnlyList<string> Ignored) ImageVolumes) Build(BundleInput input)
    {
        ContainerSpec container = input.Container;
        ImageRunConfig? image = input.Image.Config;
        if (!Path.IsPathRooted(input.RootfsPath))
        {
            throw new ArgumentException($"rootfs path '{input.RootfsPath}' is not absolute", nameof(input));
        }

        IReadOnlyList<string> args = ProcessDefaults.Args(container, image);
        string cwd = ProcessDefaults.WorkingDirectory(container, image);
        string hostname = container.Hostname is { Length: > 0 } name ? name : input.WorkloadName;
        ContainerUser user = ContainerUser.Resolve(container.User ?? image?.User, input.RootfsPath);
        IReadOnlyList<string> capabilities = CapabilitySet.Resolve(container.AddCapabilities, container.DropCapabilities);
        DeclaredDevice[] devices = [.. container.Devices.Distinct(StringComparer.Ordinal).Select(DeclaredDevice.Inspect)];
        var imageVolumes = ImageVolumes.Plan(image?.Volumes?.Keys ?? [], ContainerMounts.Taken(container), input.RootfsPath, input.VolumesDirectory);
        IReadOnlyList<RuntimeMount> mounts = ContainerMounts.For(container, input.Network, input.VolumesDirectory, imageVolumes.Volumes);

        var spec = new RuntimeSpec
        {
            Process = new RuntimeProcess
            {
                User = new RuntimeUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null },
                Args = args,
                Env = ProcessDefaults.Environment(container, image, hostname, user.Home),
                Cwd = cwd,
                Capabilities = new RuntimeCapabilities { Bounding = capabilities, Effective = capabilities, Permitted = capabilities },
                Rlimits = [new RuntimeRlimit("RLIMIT_NOFILE", OpenFilesLimit.Value, OpenFilesLimit.Value)],
                NoNewPrivileges = true,
                OomScoreAdj = OomScoreAdj,
            },
            Root = new RuntimeRoot(input.RootfsPath, container.ReadOnlyRootfs),
            Hostname = hostname,
            Mounts = mounts,
            Linux = new RuntimeLinux
            {
                Namespaces = Namespaces(input.Network),
                CgroupsPath = input.CgroupsPath.StartsWith('/') ? input.CgroupsPath : "/" + input.CgroupsPath,
                Resources = Resources(container.Limits, devices),
                Devices = [.. devices.Select(d => d.Node)],
                Sysctl = input.Network.NamespacePath is null
                    ? null
                    // In its own network namespace a service user may bind ports below 1024: that namespace's ports
                    // are the container's own, and only forwarded ones are reachable from outside.
                    : new Dictionary<string, string> { ["net.ipv4.ip_unprivileged_port_start"] = "0" },
                MaskedPaths = BundleDefaults.Paths.Masked,
                ReadonlyPaths = BundleDefaults.Paths.Readonly,
                Seccomp = BundleDefaults.Seccomp.ForHost(),
            },
        };
        return (spec, user, imageVolumes);
    }

    private static RuntimeNamespace[] Namespaces(NetworkAttachment network)
    {
        RuntimeNamespace[] own = [new("pid"), new("ipc"), new("uts"), new("mount"), new("cgroup")];
        // No network entry at all means the host's network namespace (NetworkModes.Host).
        return network.NamespacePath is null ? own : [.. own, new("network", network.NamespacePath)];
    }

    private static RuntimeResources Resources(ContainerLimits limits, IReadOnlyList<DeclaredDevice> devices) => new()
    {
        // Deny every device, then allow the declared ones; the runtime adds its standard set (null, zero, random,
        // tty, pts ...) after these rules.
        Devices = [new RuntimeDeviceRule(Allow: false, Type: null, Major: null, Minor: null, "rwm"), .. devices.Select(d => d.Rule)],
        // Memory + swap = memory: a container cannot spill past its limit into swap (on a Pi, an SD card).
        Memory = limits.MemoryBytes is long memory ? new RuntimeMemory(memory, memory) : null,
        Cpu = limits.Cpus is double cpus ? new RuntimeCpu(Math.Max(MinimumCpuQuota, (long)Math.Round(cpus * CpuPeriod)), CpuPeriod) : null,
        Pids = limits.Pids is int pids ? new RuntimePids(pids) : null,
    };

    /// <summary>Creates a volume's directory the first time, owned by the container's user so a non-root service can write it.</summary>
    private static void CreateVolume(string directory, ContainerUser user) =>
        VolumeDirectory.CreateOnce(directory, temporary =>
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(temporary);
                return;
            }

            const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            Directory.CreateDirectory(temporary, Mode);
            if (BundleNative.Chown(temporary, user.Uid, user.Gid) != 0)
            {
                throw new IOException($"volume directory {directory}: cannot give it to {user.Uid}:{user.Gid}: {BundleNative.LastErrorMessage()}");
            }
        });
}
