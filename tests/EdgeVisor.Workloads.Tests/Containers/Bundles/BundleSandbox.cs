using System.Text.Json.Nodes;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers.Bundles;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Bundles;

/// <summary>
/// One test's world for running bundles under the real runc: a busybox root file system made by hand (the static
/// /bin/busybox plus applet links, /etc/passwd and /etc/group), volume and bundle directories, network files, and
/// a private runc state directory. Disposing removes every container, cgroup, network namespace, device node and
/// file the test made, also when the test failed.
/// </summary>
internal sealed class BundleSandbox : IAsyncDisposable
{
    public const string Runc = "runc";

    /// <summary>Applets the tests run; each is a symlink to /bin/busybox as in a busybox image.</summary>
    private static readonly string[] Applets =
    [
        "sh", "cat", "echo", "id", "pwd", "hostname", "touch", "ls", "sleep", "grep", "readlink", "adjtimex", "unshare",
        "mkdir", "wc", "stat", "true", "env",
    ];

    private static readonly TimeSpan RuncTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _containers = [];
    private readonly List<string> _namespaces = [];
    private readonly List<string> _deviceNodes = [];

    public BundleSandbox()
    {
        Suffix = Guid.NewGuid().ToString("N")[..10];
        Directory = System.IO.Directory.CreateTempSubdirectory("evbundle-").FullName;
        Rootfs = Path.Combine(Directory, "rootfs");
        VolumesDirectory = Path.Combine(Directory, "volumes");
        RuncRoot = Path.Combine(Directory, "runc");
        MakeBusyboxRootfs(Rootfs);
        string resolvConf = Path.Combine(Directory, "resolv.conf");
        string hosts = Path.Combine(Directory, "hosts");
        File.WriteAllText(resolvConf, "nameserver 192.0.2.53\n");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        HostNetwork = new NetworkAttachment(NetworkModes.Host, null, "127.0.0.1", resolvConf, hosts);
    }

    /// <summary>Random letters for unique names (containers, cgroups, namespaces) across parallel tests.</summary>
    public string Suffix { get; }

    public string Directory { get; }

    public string Rootfs { get; }

    public string VolumesDirectory { get; }

    public string RuncRoot { get; }

    /// <summary>The host's network (no network namespace entry in the bundle).</summary>
    public NetworkAttachment HostNetwork { get; }

    /// <summary>
    /// The top-level cgroup this sandbox's containers go in (a fresh one per sandbox, so parallel tests never share
    /// one and disposal can remove it from every hierarchy).
    /// </summary>
    public string CgroupParent => $"evbundle-{Suffix}";

    /// <summary>An image configuration with the given run defaults.</summary>
    public static ImageConfig Image(ImageRunConfig? config = null) => new()
    {
        Architecture = Platform.Host.Architecture,
        Os = "linux",
        Config = config,
        Rootfs = new ImageRootfs { DiffIds = [] },
    };

    /// <summary>A bundle input for a container of this sandbox (id and cgroup unique to it).</summary>
    public BundleInput Input(string name, ContainerSpec container, ImageConfig? image = null, NetworkAttachment? network = null)
    {
        string id = $"{name}-{Suffix}";
        return new BundleInput
        {
            ContainerId = id,
            WorkloadName = name,
            Container = container,
            Image = image ?? Image(),
            RootfsPath = Rootfs,
            VolumesDirectory = VolumesDirectory,
            Network = network ?? HostNetwork,
            CgroupsPath = $"{CgroupParent}/{id}",
        };
    }

    /// <summary>The bundle directory of a container.</summary>
    public string BundleOf(BundleInput input) => Path.Combine(Directory, "bundles", input.ContainerId);

    /// <summary>Writes the bundle and runs it to completion with <c>runc run</c>, returning what it printed and its exit code.</summary>
    public async Task<ProcessResult> RunAsync(BundleInput input, Action<JsonObject>? editConfig = null)
    {
        string bundle = BundleOf(input);
        BundleBuilder.Write(bundle, input);
        if (editConfig is not null)
        {
            string path = Path.Combine(bundle, BundleBuilder.ConfigFileName);
            var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            editConfig(config);
            File.WriteAllText(path, config.ToJsonString());
        }

        return await RunBundleAsync(bundle, input.ContainerId);
    }

    /// <summary><c>runc run</c> of an existing bundle; the container is deleted again at once.</summary>
    public async Task<ProcessResult> RunBundleAsync(string bundle, string id)
    {
        _containers.Add(id);
        try
        {
            return await ProcessRunner.RunAsync(Runc, ["--root", RuncRoot, "run", "--bundle", bundle, id], Directory, RuncTimeout);
        }
        finally
        {
            await DeleteContainerAsync(id);
        }
    }

    /// <summary>A new network namespace (<c>ip netns add</c>); returns its path for <see cref="NetworkAttachment.NamespacePath"/>.</summary>
    public async Task<string> AddNetworkNamespaceAsync()
    {
        string name = $"evb-{Suffix}";
        _namespaces.Add(name);
        var result = await ProcessRunner.RunAsync("ip", ["netns", "add", name], Directory, RuncTimeout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} failed: {result.Stderr}");
        return $"/run/netns/{name}";
    }

    /// <summary>
    /// A stand-in for a physical GPIO chip, which this machine does not have: a character device at
    /// /dev/gpiochip&lt;number&gt; with the major/minor of /dev/null (so writes to it are harmless), removed on disposal.
    /// </summary>
    public async Task<string> AddStandInGpioChipAsync(int number)
    {
        string path = $"/dev/gpiochip{number}";
        Assert.False(File.Exists(path), $"{path} already exists on this host: pick another number");
        _deviceNodes.Add(path);
        var result = await ProcessRunner.RunAsync("mknod", ["-m", "0660", path, "c", "1", "3"], Directory, RuncTimeout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} failed: {result.Stderr}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string id in _containers)
        {
            await DeleteContainerAsync(id);
        }

        foreach (string name in _namespaces)
        {
            await ProcessRunner.RunAsync("ip", ["netns", "delete", name], "/", RuncTimeout);
        }

        foreach (string path in _deviceNodes)
        {
            File.Delete(path);
        }

        RemoveCgroups();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task DeleteContainerAsync(string id) =>
        await ProcessRunner.RunAsync(Runc, ["--root", RuncRoot, "delete", "--force", id], Directory, RuncTimeout);

    /// <summary>Removes this sandbox's cgroup parent (runc removes each container's own cgroup) from v1 and v2 hierarchies.</summary>
    private void RemoveCgroups()
    {
        foreach (string hierarchy in System.IO.Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup"))
        {
            string parent = Path.Combine(hierarchy, CgroupParent);
            if (!System.IO.Directory.Exists(parent))
            {
                continue;
            }

            // Children first; cgroup directories are removed with rmdir, never by deleting their files.
            foreach (string child in System.IO.Directory.GetDirectories(parent))
            {
                TryRemoveDirectory(child);
            }

            TryRemoveDirectory(parent);
        }
    }

    private static void TryRemoveDirectory(string path)
    {
        try
        {
            System.IO.Directory.Delete(path);
        }
        catch (IOException)
        {
            // a cgroup still holding a process (a test bug) or already gone: nothing more to do here
        }
    }

    private static void MakeBusyboxRootfs(string rootfs)
    {
        const string Busybox = "/bin/busybox";
        Assert.True(File.Exists(Busybox), $"{Busybox} is missing: install the busybox-static package");
        foreach (string directory in new[] { "bin", "etc", "tmp", "srv", "proc", "sys", "dev" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(rootfs, directory));
        }

        File.Copy(Busybox, Path.Combine(rootfs, "bin/busybox"));
        foreach (string applet in Applets)
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), """
            root:x:0:0:root:/root:/bin/sh
            # a comment and a malformed line are skipped, as the C library does
            broken:line
            app:x:1000:1000:an app user:/home/app:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false

            """);
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), """
            root:x:0:
            daemon:x:1:
            gpio:x:997:app,daemon
            i2c:x:998: app
            app:x:1000:
            video:x:44:

            """);
    }
}
