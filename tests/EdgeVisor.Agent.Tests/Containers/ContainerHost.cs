using System.Text.Json.Nodes;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Testing.Containers.Runtime;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>
/// One end-to-end device that runs containers: a <see cref="TestDevice"/> whose agent has its own runc root,
/// cgroup parent, image directory, bridge, subnet and nftables table, so tests never meet each other's (or a real
/// agent's) containers. Disposing stops the agent gracefully and then removes whatever is left on the host even
/// when the test failed halfway: containers in its runc root, mounts under its directory, its cgroups, its bridge
/// and its table.
/// </summary>
public sealed class ContainerHost : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private ContainerHost(TestDevice device, string suffix)
    {
        Device = device;
        RuntimeRoot = $"/run/edgevisor-e2e/{suffix}";
        CgroupParent = $"edgevisor-e2e-{suffix}";
        BridgeName = $"eve{suffix[..8]}";
        NftTable = $"edgevisor_e2e_{suffix}";
    }

    public TestDevice Device { get; }

    /// <summary>The agent's runc <c>--root</c>: every container of this device, and only those.</summary>
    public string RuntimeRoot { get; }

    public string CgroupParent { get; }

    public string BridgeName { get; }

    public string NftTable { get; }

    public string ContainersDirectory => Path.Combine(Device.Directory, "containers");

    /// <summary>A device named <paramref name="name"/> (a unique suffix is added) with its own container plumbing.</summary>
    public static ContainerHost Create(MosquittoFleetFixture fleet, string name)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        string suffix = Guid.NewGuid().ToString("N")[..10];
        TestDevice? device = null;
        try
        {
            int third = Random.Shared.Next(0, 256);
            var containers = new JsonObject
            {
                [nameof(ContainerOptions.RuntimeRoot)] = $"/run/edgevisor-e2e/{suffix}",
                [nameof(ContainerOptions.CgroupParent)] = $"edgevisor-e2e-{suffix}",
                [nameof(ContainerOptions.ReserveBytes)] = 16 * 1024 * 1024,
                [nameof(ContainerOptions.Network)] = new JsonObject
                {
                    [nameof(NetworkOptions.BridgeName)] = $"eve{suffix[..8]}",
                    [nameof(NetworkOptions.Subnet)] = $"10.{Random.Shared.Next(160, 200)}.{third}.0/24",
                    [nameof(NetworkOptions.NftTable)] = $"edgevisor_e2e_{suffix}",
                },
            };
            device = fleet.NewDevice($"{name}-{suffix[..6]}", containers: containers);
            var host = new ContainerHost(device, suffix);
            host.WriteDirectory();
            return host;
        }
        catch
        {
            device?.Dispose();
            throw;
        }
    }

    /// <summary>The ids <c>runc list</c> shows in this device's root (the containers that exist on the host).</summary>
    public async Task<IReadOnlyList<string>> RuncListAsync()
    {
        if (!Directory.Exists(RuntimeRoot))
        {
            return [];
        }

        ProcessResult list = await ProcessRunner.RunAsync("runc", ["--root", RuntimeRoot, "list", "-q"], Path.GetTempPath(), CommandTimeout);
        Assert.True(list.ExitCode == 0, $"runc --root {RuntimeRoot} list failed ({list.ExitCode}): {list.Stderr}");
        return ProcessRunner.AsText(list.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async ValueTask DisposeAsync()
    {
        // A graceful stop first (what systemd does): the agent stops its containers itself.
        if (Device.Processes is [.., var last] && !last.HasExited)
        {
            await last.StopAsync(TimeSpan.FromSeconds(30));
        }

        Device.Dispose();
        await RemoveLeftoversAsync();
    }

    /// <summary>Whatever the agent did not remove: containers, mounts, cgroups, network plumbing, the runc root.</summary>
    private async Task RemoveLeftoversAsync()
    {
        foreach (string id in await TryAsync(RuncListAsync, []))
        {
            await RunQuietlyAsync("runc", "--root", RuntimeRoot, "delete", "--force", id);
        }

        foreach (string mount in RuntimeLeftovers.MountsUnder(Device.Directory))
        {
            await RunQuietlyAsync("umount", "-l", mount);
        }

        foreach (string cgroup in CgroupDirectories())
        {
            try
            {
                Directory.Delete(cgroup);
            }
            catch (IOException)
            {
                // still has processes for a moment, or already gone
            }
        }

        await RunQuietlyAsync("ip", "link", "delete", BridgeName);
        await RunQuietlyAsync("nft", "delete", "table", "inet", NftTable);
        await RunQuietlyAsync("nft", "delete", "table", "ip", NftTable);
        // The runtime's root, the per-command logs the driver keeps beside it, the device's files.
        foreach (string directory in new[] { RuntimeRoot, RuntimeRoot + ".logs", Device.Directory })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // best effort: gone already, or a busy file the OS removes eventually
            }
        }

        // The shared parent of every test's runc root goes once no test uses it.
        if (Path.GetDirectoryName(RuntimeRoot) is { } parent && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            try
            {
                Directory.Delete(parent);
            }
            catch (IOException)
            {
                // another test made its root there meanwhile
            }
        }
    }

    /// <summary>This device's cgroup directories under every hierarchy (v1 controllers and v2), deepest first.</summary>
    private List<string> CgroupDirectories()
    {
        var found = new List<string>();
        foreach (string hierarchy in Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [])
        {
            string root = Path.Combine(hierarchy, CgroupParent);
            if (Directory.Exists(root))
            {
                found.AddRange(Directory.GetDirectories(root, "*", SearchOption.AllDirectories));
                found.Add(root);
            }
        }

        return [.. found.OrderByDescending(d => d.Length)];
    }

    private static async Task<T> TryAsync<T>(Func<Task<T>> work, T fallback)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Xunit.Sdk.XunitException)
        {
            return fallback;
        }
    }

    private static async Task RunQuietlyAsync(string file, params string[] arguments)
    {
        try
        {
            await ProcessRunner.RunAsync(file, arguments, Path.GetTempPath(), CommandTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            // clean-up is best effort; the test's own assertions say what went wrong
        }
    }

    /// <summary>Adds the image directory to the device's configuration (its path is known only once the device exists).</summary>
    private void WriteDirectory()
    {
        var configuration = JsonNode.Parse(File.ReadAllText(Device.ConfigFile))!;
        configuration[AgentOptions.Section]![nameof(AgentOptions.Containers)]![nameof(ContainerOptions.Directory)] = ContainersDirectory;
        File.WriteAllText(Device.ConfigFile, configuration.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
