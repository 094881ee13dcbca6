using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeVisor.Protocol;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// bench agent-memory [--agent PATH] [--idle S] [--samples N] [--env NAME=VALUE …]: the resident memory of ONE real
/// <c>edgevisor agent</c> process (edgevisor.dll next to the bench by default, or a published executable) idle
/// with one firmware workload. Starts mosquitto, the agent with a generated config, deploys sensor-monitor
/// (realtime), waits for it to run, lets the agent idle, then samples /proc/PID/status and smaps_rollup and the CPU
/// the idle agent uses. <c>--env</c> passes runtime knobs (DOTNET_…) to the agent, to measure their effect.
/// </summary>
public static class AgentMemoryBenchmark
{
    private const string DeviceId = "memory-01";

    public static async Task<int> RunAsync(string[] args)
    {
        string agent = BenchArguments.String(args, "--agent") ?? Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");
        int idleSeconds = BenchArguments.Int(args, "--idle", 10);
        int samples = BenchArguments.Int(args, "--samples", 5);
        var (defaultImage, defaultWiring) = SensorMonitorDeployment.DefaultPaths(RepositoryRoot.Find());
        using var deployment = new SensorMonitorDeployment(BenchArguments.String(args, "--image") ?? defaultImage, BenchArguments.String(args, "--wiring") ?? defaultWiring);

        var work = Directory.CreateTempSubdirectory("edgevisor-bench-memory-");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await using var broker = await BenchBroker.StartAsync("mosquitto", timeout.Token);
            await using var controller = await BenchController.ConnectAsync("127.0.0.1", broker.Port, timeout.Token);
            string config = WriteConfig(work.FullName, broker.Port, deployment.TrustedKeyPem);
            using var process = StartAgent(agent, config, BenchArguments.All(args, "--env"), work.FullName);
            var output = new AgentOutput(process);
            Console.WriteLine($"agent-memory: {Describe(process.StartInfo)} (pid {process.Id}), {broker.Description}, {Environment.ProcessorCount} host cores");
            try
            {
                return await MeasureAsync(process, controller, deployment, idleSeconds, samples, output, timeout.Token);
            }
            finally
            {
                await StopAsync(process);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(Process process, BenchController controller, SensorMonitorDeployment deployment, int idleSeconds, int samples, AgentOutput output, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        if (!await WaitAsync(() => controller.CountOnline([DeviceId]) == 1 || process.HasExited, TimeSpan.FromSeconds(30), ct) || process.HasExited)
        {
            Console.Error.WriteLine($"agent-memory: the agent did not come online (exited: {process.HasExited}); its output:\n{output.Text}");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"online after {started.Elapsed.TotalSeconds:0.00} s: {ProcessStats.Read(process.Id)}"));
        controller.SetGoal(1, SensorMonitorDeployment.WorkloadName, DateTimeOffset.UtcNow);
        var (publishedAt, publish) = controller.PublishDesired(DeviceId, deployment.SignedFor(DeviceId, 1), ct);
        await publish;
        if (!await WaitAsync(() => controller.ReachedAt.Count == 1 || process.HasExited, TimeSpan.FromSeconds(60), ct))
        {
            Console.Error.WriteLine($"agent-memory: the workload did not reach running; last report: {Report(controller.LatestReport(DeviceId))}; agent output:\n{output.Text}");
            return 1;
        }

        double toRunning = Stopwatch.GetElapsedTime(publishedAt, controller.ReachedAt[DeviceId]).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sensor-monitor running {toRunning:0.000} s after publish: {ProcessStats.Read(process.Id)}"));
        Console.WriteLine($"idling {idleSeconds} s …");
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);

        var readings = new List<ProcessStats>();
        TimeSpan cpuBefore = ProcessStats.CpuTimeOf(process.Id);
        var window = Stopwatch.StartNew();
        for (int i = 0; i < samples; i++)
        {
            var stats = ProcessStats.Read(process.Id);
            readings.Add(stats);
            Console.WriteLine($"  sample {i + 1}: {stats}");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        double cpuPercent = (ProcessStats.CpuTimeOf(process.Id) - cpuBefore).TotalSeconds / window.Elapsed.TotalSeconds * 100;
        var last = readings[^1];
        bool stillRunning = controller.LatestReport(DeviceId)?.Workloads.Any(w => w.Name == SensorMonitorDeployment.WorkloadName && w.State == WorkloadState.Running) == true;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle agent with 1 firmware workload: VmRSS {ProcessStats.Megabytes(readings.Max(r => r.Rss))} (max of {samples}), VmHWM {ProcessStats.Megabytes(last.PeakRss)}, RssAnon {ProcessStats.Megabytes(last.RssAnon)}, RssFile {ProcessStats.Megabytes(last.RssFile)}, Pss {ProcessStats.Megabytes(last.Pss)}, CPU {cpuPercent:0.0} % of one core while idle, workload still running: {stillRunning}"));
        Console.WriteLine($"machine: {ProcessStats.LoadAverage()}");
        return stillRunning ? 0 : 1;
    }

    private static string WriteConfig(string directory, int port, string trustedKeyPem)
    {
        string keyFile = Path.Combine(directory, "trusted.pem");
        File.WriteAllText(keyFile, trustedKeyPem);
        string path = Path.Combine(directory, "agent.json");
        var config = new Dictionary<string, object>
        {
            [AgentSection] = new Dictionary<string, object>
            {
                ["DeviceId"] = DeviceId,
                ["StateDirectory"] = Path.Combine(directory, "state"),
                ["Broker"] = new Dictionary<string, object> { ["Host"] = "127.0.0.1", ["Port"] = port, ["Username"] = DeviceId },
                ["TrustedKeys"] = new[] { keyFile },
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private const string AgentSection = "Agent";

    private static Process StartAgent(string agent, string config, IEnumerable<string> environment, string workingDirectory)
    {
        bool isDll = agent.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(isDll ? DotnetHost() : agent)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (isDll)
        {
            start.ArgumentList.Add(agent);
        }

        foreach (string argument in new[] { "agent", "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string pair in environment)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--env {pair}: expected NAME=VALUE");
            }

            start.Environment[pair[..equals]] = pair[(equals + 1)..];
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{agent} did not start");
    }

    /// <summary>SIGTERM (what systemd sends), then SIGKILL if the graceful stop takes more than 15 s.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(grace.Token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent stopped on SIGTERM in {clock.Elapsed.TotalSeconds:0.00} s, exit code {process.ExitCode}"));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Console.Error.WriteLine("agent-memory: the agent ignored SIGTERM for 15 s and was killed");
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20, ct);
        }

        return true;
    }

    private static string Report(ReportedState? report) =>
        report is null ? "none" : string.Join(", ", report.Workloads.Select(w => $"{w.Name} {w.State} {w.Reason}")) + $" (version {report.Version})";

    private static string Describe(ProcessStartInfo start) =>
        string.Join(' ', [Path.GetFileName(start.FileName), .. start.ArgumentList.Select(a => Path.IsPathRooted(a) ? Path.GetFileName(a) : a)]);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
