using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Containers.Runtime;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// A private place to run containers with the real runc: its own runtime root, cgroup parent and directory, and a
/// busybox root file system. Bundles start from runc's own template (<c>runc spec</c>), so these tests need none
/// of the image, bundle or network code. Disposing removes every container, cgroup and file it made.
/// </summary>
internal sealed class RuntimeSandbox : IAsyncDisposable
{
    public const string Runc = "runc";
    private const string Busybox = "/bin/busybox";
    private static readonly string[] s_applets = ["sh", "sleep", "echo", "cat", "test", "rm", "touch", "httpd", "kill", "true", "head", "tr"];

    private readonly Dictionary<string, WorkloadLog> _logs = [];
    private readonly JsonObject _template;

    private RuntimeSandbox(string directory, JsonObject template)
    {
        Directory = directory;
        _template = template;
        CgroupParent = "edgevisor-test-" + Path.GetFileName(directory)[^8..];
        Runtime = new OciRuntime(Runc, Path.Combine(directory, "runc"));
    }

    public string Directory { get; }

    public string CgroupParent { get; }

    public OciRuntime Runtime { get; }

    public string Rootfs => Path.Combine(Directory, "rootfs");

    public static async Task<RuntimeSandbox> CreateAsync()
    {
        if (!File.Exists(Busybox))
        {
            throw new InvalidOperationException($"{Busybox} is missing: install busybox-static");
        }

        if (OciRuntime.Find(Runc) is null)
        {
            throw new InvalidOperationException("runc is not on PATH: install runc");
        }

        string directory = Path.Combine(Path.GetTempPath(), "ev-runtime-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "rootfs", "bin"));
        File.Copy(Busybox, Path.Combine(directory, "rootfs", "bin", "busybox"));
        foreach (string applet in s_applets)
        {
            File.CreateSymbolicLink(Path.Combine(directory, "rootfs", "bin", applet), "busybox");
        }

        var spec = await ProcessRunner.RunAsync(Runc, ["spec"], directory, TimeSpan.FromSeconds(20));
        if (spec.ExitCode != 0)
        {
            throw new InvalidOperationException($"{spec.CommandLine} failed: {spec.Stderr}");
        }

        string templatePath = Path.Combine(directory, "config.json");
        var template = JsonNode.Parse(await File.ReadAllTextAsync(templatePath))!.AsObject();
        File.Delete(templatePath);
        return new RuntimeSandbox(directory, template);
    }

    /// <summary>A unique container id (tests of one class run one after the other, classes in parallel).</summary>
    public static string NewId(string what) => $"ev-{what}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Writes a bundle running <paramref name="args"/> from the busybox rootfs (read-only; /dev/shm is writable).</summary>
    public string Bundle(string id, string[] args, long? memoryLimit = null, bool hostNetwork = false)
    {
        var config = _template.DeepClone().AsObject();
        var process = config["process"]!.AsObject();
        process["terminal"] = false;
        process["args"] = new JsonArray(args.Select(a => (JsonNode)a!).ToArray());
        config["root"] = new JsonObject { ["path"] = Rootfs, ["readonly"] = true };
        config["hostname"] = id;
        var linux = config["linux"]!.AsObject();
        linux["cgroupsPath"] = $"/{CgroupParent}/{id}";
        if (memoryLimit is { } limit)
        {
            linux["resources"]!["memory"] = new JsonObject { ["limit"] = limit, ["swap"] = limit };
        }

        if (hostNetwork)
        {
            var namespaces = linux["namespaces"]!.AsArray();
            namespaces.Remove(namespaces.First(n => (string?)n!["type"] == "network"));
        }

        string bundle = Path.Combine(Directory, "bundles", id);
        System.IO.Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return bundle;
    }

    /// <summary>Container <paramref name="id"/>'s log (made on first use).</summary>
    public WorkloadLog Log(string id)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(id, out var log))
            {
                _logs[id] = log = new WorkloadLog(Path.Combine(Directory, "logs", id));
            }

            return log;
        }
    }

    /// <summary>Runs <paramref name="args"/> as container <paramref name="id"/>; the workload's teardown removes its bundle.</summary>
    public Task<ContainerWorkload> RunAsync(string id, string[] args, long? memoryLimit = null, bool hostNetwork = false, HealthCheckSpec? health = null, TimeSpan? grace = null)
    {
        string bundle = Bundle(id, args, memoryLimit, hostNetwork);
        var run = new ContainerRun
        {
            Id = id,
            Name = id,
            BundleDirectory = bundle,
            Log = Log(id),
            StopGrace = grace ?? TimeSpan.FromSeconds(1),
            HealthCheck = health,
            Address = hostNetwork ? "127.0.0.1" : null,
            TeardownAsync = () =>
            {
                System.IO.Directory.Delete(bundle, recursive: true);
                return Task.CompletedTask;
            },
        };
        return ContainerWorkload.RunAsync(Runtime, run, NullLogger.Instance, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await RuntimeLeftovers.RemoveAsync(Runc, Runtime.Root, CgroupParent);
        lock (_logs)
        {
            foreach (var log in _logs.Values)
            {
                log.Dispose();
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true); // the runtime root and its command logs are inside
    }
}
