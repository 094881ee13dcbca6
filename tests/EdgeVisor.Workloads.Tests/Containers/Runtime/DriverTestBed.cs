using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Containers.Runtime;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Networking;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Tests.Containers.Networking;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// One test's private container host: its own directory, runtime root, cgroup parent, nat bridge, subnet and
/// nftables table, so driver tests run in parallel with each other and with the network tests. Disposing removes
/// every container, mount, namespace, link, table and cgroup it made, whether the test passed or not.
/// </summary>
internal sealed class DriverTestBed : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(15);
    private readonly List<WorkloadLog> _logs = [];
    private readonly HttpClient _http;

    private DriverTestBed(string suffix, int natBlock, Func<string, string>? runtime)
    {
        Suffix = suffix;
        Directory = Path.Combine(Path.GetTempPath(), "ev-driver-" + suffix);
        Options = new ContainerOptions
        {
            Runtime = runtime?.Invoke(Directory) ?? RuntimeSandbox.Runc,
            RuntimeRoot = Path.Combine(Directory, "runc"),
            Directory = Path.Combine(Directory, "containers"),
            CgroupParent = "edgevisor-test-" + suffix,
            ReserveBytes = 0,
            Network = new NetworkOptions
            {
                BridgeName = "evdr" + suffix,
                Subnet = $"10.91.{natBlock}.0/24",
                NftTable = "evdr_" + suffix,
                Nameservers = ["192.0.2.53"],
            },
        };
        // The agent's own client: it falls back to plain HTTP for a loopback registry that does not speak TLS.
        _http = RegistryClient.CreateHttpClient(Options.Registries);
        Driver = NewDriver();
    }

    public string Suffix { get; }

    public string Directory { get; }

    public ContainerOptions Options { get; }

    public ContainerDriver Driver { get; }

    /// <summary>A test bed on runc, or on the runtime <paramref name="runtime"/> names (given the test's directory, it may write a wrapper there).</summary>
    public static async Task<DriverTestBed> CreateAsync(Func<string, string>? runtime = null)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("container driver tests need Linux and root (runc, mounts, namespaces, cgroups)");
        }

        string suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        return new DriverTestBed(suffix, await NetworkTestBed.FreeBlockAsync("10.91"), runtime);
    }

    /// <summary>Another driver over the same directories: the agent after a restart.</summary>
    public ContainerDriver NewDriver() => new(Options, Directory, _http, NullLoggerFactory.Instance);

    public static WorkloadSpec Spec(string name, string url, string sha256, ContainerSpec? container = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Container,
        Artifact = new ArtifactRef { Url = url, Sha256 = sha256 },
        Container = container ?? new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None } },
    };

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Writes <paramref name="image"/> as an oci-archive; returns its file:// URL.</summary>
    public string Archive(BuiltImage image)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string archive = Path.Combine(Directory, Guid.NewGuid().ToString("N")[..8] + ".tar");
        image.WriteOciArchive(archive);
        return "file://" + archive;
    }

    /// <summary>Workload <paramref name="name"/> of <paramref name="image"/>, imported from an oci-archive and prepared.</summary>
    public async Task<WorkloadSpec> PrepareAsync(string name, BuiltImage image, ContainerSpec? container = null)
    {
        string archive = new Uri(Archive(image)).LocalPath;
        var spec = Spec(name, "file://" + archive, Sha256Of(archive), container);
        await Driver.PrepareAsync(spec, archive, null, CancellationToken.None);
        return spec;
    }

    public WorkloadLaunch Launch(WorkloadSpec spec)
    {
        var log = new WorkloadLog(Path.Combine(Directory, "logs", spec.Name));
        lock (_logs)
        {
            _logs.Add(log);
        }

        return new WorkloadLaunch { Spec = spec, DataDirectory = Path.Combine(Directory, "data", spec.Name), Log = log };
    }

    /// <summary>Mount points at or under the test's directory (the rootfs overlays).</summary>
    public IReadOnlyList<string> Mounts() => RuntimeLeftovers.MountsUnder(Directory);

    /// <summary>The host objects a container's network is made of that still exist.</summary>
    public static List<string> NetworkLeftovers(string containerId)
    {
        var left = new List<string>();
        if (File.Exists(NetworkNames.NamespacePath(NetworkNames.Namespace(containerId))))
        {
            left.Add("netns " + NetworkNames.Namespace(containerId));
        }

        if (NetworkNames.LinkExists(NetworkNames.HostVeth(containerId)))
        {
            left.Add("veth " + NetworkNames.HostVeth(containerId));
        }

        return left;
    }

    /// <summary>No container, rootfs mount, network namespace, veth or bundle directory of <paramref name="containerId"/> is left.</summary>
    public async Task AssertNothingLeftAsync(string containerId)
    {
        Assert.Empty(await Driver.Runtime.ListAsync(CancellationToken.None));
        Assert.Empty(Mounts());
        Assert.Empty(NetworkLeftovers(containerId));
        string bundles = Path.Combine(Options.Directory!, "bundles");
        Assert.True(!System.IO.Directory.Exists(bundles) || System.IO.Directory.GetFileSystemEntries(bundles).Length == 0, "a bundle directory was left");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await NewDriver().CleanUpAfterCrashAsync(CancellationToken.None);
        }
        finally
        {
            // Belt and braces: what the driver's clean-up might have missed.
            await RuntimeLeftovers.RemoveAsync(Options.Runtime, Options.RuntimeRoot, Options.CgroupParent);
            foreach (string point in Mounts())
            {
                await ProcessRunner.RunAsync("umount", ["-l", point], "/", ToolTimeout);
            }

            await ProcessRunner.RunAsync("ip", ["link", "delete", Options.Network.BridgeName], "/", ToolTimeout);
            await ProcessRunner.RunAsync("nft", ["delete", "table", "inet", Options.Network.NftTable], "/", ToolTimeout);
            lock (_logs)
            {
                _logs.ForEach(log => log.Dispose());
            }

            _http.Dispose();
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }
}
