using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeVisor.Bench.Agents;
using EdgeVisor.Protocol;

namespace EdgeVisor.Bench.Containers;

/// <summary>One idle agent's footprint: its own RSS and CPU, and the processes it keeps beside its containers.</summary>
internal sealed record Footprint(int Containers, ProcessStats Agent, double CpuPercent, IReadOnlyList<(string Command, int Count, long Rss)> Descendants)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Containers} containers: agent VmRSS {ProcessStats.Megabytes(Agent.Rss)}, Pss {ProcessStats.Megabytes(Agent.Pss)}, {Agent.Threads} threads, CPU {CpuPercent:0.00} % of one core; descendants: {(Descendants.Count == 0 ? "none" : string.Join(", ", Descendants.Select(d => $"{d.Count}× {d.Command} {ProcessStats.Megabytes(d.Rss)}")))}");
}

/// <summary>
/// Per-container agent overhead: a real <c>edgevisor agent</c> process (edgevisor.dll next to the bench) against
/// mosquitto and the run's registry, measured idle with no workload and again with N idle containers (the benchmark's
/// spec): the agent's RSS and CPU over a window, and what runs under it.
/// </summary>
internal static class AgentOverhead
{
    private const string Device = "containers-idle";

    public static async Task<(Footprint Empty, Footprint Loaded)> RunAsync(BenchWorkload workload, ArtifactRef image, string registryHost, string directory, int containers, int idleSeconds, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await using var broker = await BenchBroker.StartAsync("mosquitto", ct);
        await using var controller = await BenchController.ConnectAsync("127.0.0.1", broker.Port, ct);
        string config = WriteConfig(workload, directory, broker.Port, registryHost);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "agent", "--config", config])
        {
            start.ArgumentList.Add(argument);
        }

        using var agent = Process.Start(start) ?? throw new InvalidOperationException("edgevisor agent did not start");
        var output = new AgentOutput(agent);
        try
        {
            await WaitAsync(() => controller.CountOnline([Device]) == 1 || agent.HasExited, TimeSpan.FromSeconds(60), "the agent online", output, ct);
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
            var empty = await MeasureAsync(agent.Id, 0, idleSeconds, ct);

            var names = Enumerable.Range(1, containers).Select(i => $"idle-{i}").ToArray();
            var (_, publish) = controller.PublishDesired(Device, workload.SignedFor(Device, 1, image, names.Select(n => (n, n))), ct);
            await publish;
            await WaitAsync(
                () => controller.LatestReport(Device) is { Version: 1 } r && names.All(n => r.Workloads.Any(w => w.Name == n && w.State == WorkloadState.Running)) || agent.HasExited,
                TimeSpan.FromSeconds(180),
                $"{containers} containers running",
                output,
                ct);
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
            var loaded = await MeasureAsync(agent.Id, containers, idleSeconds, ct);
            return (empty, loaded);
        }
        finally
        {
            await StopAsync(agent);
        }
    }

    private static async Task<Footprint> MeasureAsync(int pid, int containers, int seconds, CancellationToken ct)
    {
        var cpuBefore = ProcessStats.CpuTimeOf(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        double cpu = (ProcessStats.CpuTimeOf(pid) - cpuBefore).TotalSeconds / clock.Elapsed.TotalSeconds * 100;
        var descendants = ProcessTree.Descendants(pid)
            .Select(p => (Command: ProcessTree.CommandOf(p), Rss: ProcessStats.Read(p).Rss))
            .GroupBy(p => p.Command)
            .Select(g => (g.Key, g.Count(), g.Sum(p => p.Rss)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new Footprint(containers, ProcessStats.Read(pid), cpu, descendants);
    }

    private static string WriteConfig(BenchWorkload workload, string directory, int port, string registryHost)
    {
        string keyFile = Path.Combine(directory, "trusted.pem");
        File.WriteAllText(keyFile, workload.TrustedKeyPem);
        var containers = workload.Options(Path.Combine(directory, "idle"), registryHost);
        var config = new
        {
            Agent = new
            {
                DeviceId = Device,
                StateDirectory = Path.Combine(directory, "idle", "state"),
                ControlSocket = Path.Combine(directory, "idle", "agent.sock"),
                Broker = new { Host = "127.0.0.1", Port = port, Username = Device },
                TrustedKeys = new[] { keyFile },
                Containers = new
                {
                    containers.Runtime,
                    containers.RuntimeRoot,
                    containers.Directory,
                    containers.CgroupParent,
                    Registries = new { containers.Registries.Insecure },
                    Network = new { containers.Network.BridgeName, containers.Network.Subnet, containers.Network.NftTable },
                },
            },
        };
        string path = Path.Combine(directory, "agent.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, AgentOutput output, CancellationToken ct)
    {
        if (!await AgentsBenchmark.WaitAsync(condition, timeout, ct) || !condition())
        {
            throw new TimeoutException($"containers: no {what} within {timeout.TotalSeconds:0} s; the agent's output:\n{output.Text}");
        }
    }

    /// <summary>SIGTERM, as systemd stops the agent (it stops its containers); SIGKILL after 30 s.</summary>
    private static async Task StopAsync(Process agent)
    {
        if (agent.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await agent.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            agent.Kill(entireProcessTree: true);
            Console.Error.WriteLine("containers: the agent ignored SIGTERM for 30 s and was killed");
        }
    }
}

/// <summary>Processes below a process, from /proc (parent ids in /proc/PID/stat).</summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), CultureInfo.InvariantCulture, out int pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out int current))
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == current)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    public static string CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // gone meanwhile
        }
    }
}
