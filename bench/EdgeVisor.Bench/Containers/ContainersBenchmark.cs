using System.Globalization;
using EdgeVisor.Bench.Agents;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;

namespace EdgeVisor.Bench.Containers;

/// <summary>
/// bench containers [--runs N] [--containers M] [--runtime PATH] [--health S] [--idle S] [--skip-agent] [--skip-by-hand]: the agent's
/// container start against the OCI runtime by hand, side by side, with the same busybox bundle (no network):
/// (a) <c>runc run -d</c> and <c>runc create</c>+<c>start</c> by hand, N times each, to the first output line;
/// (b) a whole in-process agent with mosquitto and a warm image, N deployments each from the MQTT publish and from
/// the reconciler receiving the document, to the first output line and to the reported <c>running</c>;
/// (c) a real <c>edgevisor agent</c> process idle with 0 and with M containers: RSS and CPU per container.
/// Prints p50/p90 and the agent/by-hand ratio. Root only (runc, overlayfs, cgroups).
/// </summary>
public static class ContainersBenchmark
{
    private static readonly string[] Header = ["", "", "p50", "p90", "p50 ratio", "p90 ratio"];

    public static async Task<int> RunAsync(string[] args)
    {
        int runs = BenchArguments.Int(args, "--runs", 10);
        int containers = BenchArguments.Int(args, "--containers", 5);
        int idleSeconds = BenchArguments.Int(args, "--idle", 5);
        double healthWindow = double.Parse(BenchArguments.String(args, "--health") ?? "1", CultureInfo.InvariantCulture);
        bool skipAgent = args.Contains("--skip-agent");
        using var workload = new BenchWorkload(BenchArguments.String(args, "--runtime") ?? "runc");
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("containers: run as root (the OCI runtime, overlayfs mounts and cgroups need it)");
            return 2;
        }

        var version = await ProcessRunner.RunAsync(workload.Runtime, ["--version"], Path.GetTempPath(), TimeSpan.FromSeconds(10));
        var image = BusyboxImage.Create();
        var work = Directory.CreateTempSubdirectory("edgevisor-bench-containers-");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            Console.WriteLine($"containers: {workload.Runtime} ({version.Stdout.Length switch { 0 => "version unknown", _ => System.Text.Encoding.UTF8.GetString(version.Stdout).Split('\n')[0] }}), busybox image {image.ManifestDigest[..19]}…, network none, {runs} starts per figure, {Environment.ProcessorCount} host cores");
            // The baseline failing (a runtime that misbehaves under this process) still leaves the agent's figures.
            LatencySummary? run = null;
            var rows = new List<string[]> { Header };
            try
            {
                if (args.Contains("--skip-by-hand"))
                {
                    throw new InvalidOperationException("skipped (--skip-by-hand)");
                }

                (run, var createStart) = await ByHandRuns.RunAsync(workload, image, Path.Combine(work.FullName, "by-hand"), runs, cancel.Token);
                rows.Add(Row("by hand", "runc run -d → first line", run, run));
                rows.Add(Row("by hand", "runc create + start → first line", createStart, run));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                Console.Error.WriteLine($"containers: by hand: {e.Message}");
            }

            if (!skipAgent)
            {
                await using var registry = await DockerRegistry.StartAsync();
                await registry.PushAsync("bench/busybox", "v1", image, cancel.Token);
                var artifact = new ArtifactRef { Url = registry.Reference("bench/busybox", "v1"), Sha256 = image.PinnedSha256 };
                var agent = await AgentRuns.RunAsync(workload, artifact, registry.Host, Path.Combine(work.FullName, "agent"), runs, healthWindow, cancel.Token);
                rows.Add(Row("agent", "driver start → first line", agent.DriverToLine, run));
                rows.Add(Row("agent", "reconciler received → first line", agent.ReceivedToLine, run));
                rows.Add(Row("agent", "MQTT publish → first line", agent.PublishToLine, run));
                rows.Add(Row("agent", $"received → reported running (health {healthWindow:0.##} s)", agent.ReceivedToRunning, run));
                rows.Add(Row("agent", $"publish → reported running (health {healthWindow:0.##} s)", agent.PublishToRunning, run));
                PrintTable(rows);

                var (empty, loaded) = await AgentOverhead.RunAsync(workload, artifact, registry.Host, Path.Combine(work.FullName, "overhead"), containers, idleSeconds, cancel.Token);
                Console.WriteLine($"idle agent, {empty}");
                Console.WriteLine($"idle agent, {loaded}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per container: agent RSS {(loaded.Agent.Rss - empty.Agent.Rss) / (double)containers / 1048576:+0.00;-0.00} MB, agent CPU {(loaded.CpuPercent - empty.CpuPercent) / containers:+0.000;-0.000} % of one core (idle, {idleSeconds} s windows)"));
            }
            else
            {
                PrintTable(rows);
            }

            Console.WriteLine($"machine: {ProcessStats.LoadAverage()}");
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or Workloads.WorkloadStartException or Workloads.Downloads.ArtifactException)
        {
            Console.Error.WriteLine($"containers: {e.Message}");
            return 1;
        }
        finally
        {
            RemoveCgroupParent(workload.Options(work.FullName, "").CgroupParent);
            work.Delete(recursive: true);
        }
    }

    private static string[] Row(string part, string what, LatencySummary figures, LatencySummary? byHand) =>
    [
        part,
        what,
        Seconds(figures.Percentile(50)),
        Seconds(figures.Percentile(90)),
        byHand is null ? "-" : Ratio(figures.Percentile(50), byHand.Percentile(50)),
        byHand is null ? "-" : Ratio(figures.Percentile(90), byHand.Percentile(90)),
    ];

    private static string Seconds(double value) => value.ToString("0.000 s", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00×", CultureInfo.InvariantCulture);

    private static void PrintTable(List<string[]> rows)
    {
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    /// <summary>The runtime removes each container's cgroup; the run's parent is removed here (rmdir, v1 controllers and v2).</summary>
    private static void RemoveCgroupParent(string parent)
    {
        var candidates = Directory.Exists("/sys/fs/cgroup")
            ? Directory.EnumerateDirectories("/sys/fs/cgroup").Select(controller => Path.Combine(controller, parent)).Append(Path.Combine("/sys/fs/cgroup", parent))
            : [];
        foreach (string directory in candidates.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                // Still in use (a container left behind): reported by the runtime's delete already.
            }
        }
    }
}
