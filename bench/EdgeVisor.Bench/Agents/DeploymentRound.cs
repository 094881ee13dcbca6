using System.Diagnostics;
using System.Globalization;
using EdgeVisor.Protocol;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// One measured round: sign a version for every device (before the clock starts), publish them all back to back,
/// and wait until every device reports the workload running under that version, started after the publish.
/// Prints the per-device publish → running percentiles, the time until the last one ran, and what it cost: CPU of
/// the agents' process and of the broker, the whole machine's CPU, and the agents' resident memory.
/// </summary>
internal sealed class DeploymentRound(BenchController controller, SensorMonitorDeployment deployment, IReadOnlyList<string> devices, int? brokerProcessId)
{
    private static readonly TimeSpan SteadyWindow = TimeSpan.FromSeconds(5);

    public async Task<bool> RunAsync(string name, long version, TimeSpan timeout, CancellationToken ct)
    {
        byte[][] payloads = devices.Select(d => deployment.SignedFor(d, version)).ToArray();
        var machine = MachineCpu.Read();
        TimeSpan selfCpu = ProcessStats.CpuTimeOf(Environment.ProcessId);
        TimeSpan brokerCpu = brokerProcessId is { } pid ? ProcessStats.CpuTimeOf(pid) : TimeSpan.Zero;

        controller.SetGoal(version, SensorMonitorDeployment.WorkloadName, DateTimeOffset.UtcNow);
        var clock = Stopwatch.StartNew();
        var publishedAt = new long[devices.Count];
        var completions = new Task[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            (publishedAt[i], completions[i]) = controller.PublishDesired(devices[i], payloads[i], ct);
        }

        await Task.WhenAll(completions);
        TimeSpan published = clock.Elapsed;
        bool all = await AgentsBenchmark.WaitAsync(() => controller.ReachedAt.Count == devices.Count, timeout, ct);
        TimeSpan elapsed = clock.Elapsed;
        double machineBusy = MachineCpu.Read().BusyPercentSince(machine);
        TimeSpan selfUsed = ProcessStats.CpuTimeOf(Environment.ProcessId) - selfCpu;
        TimeSpan brokerUsed = brokerProcessId is { } p ? ProcessStats.CpuTimeOf(p) - brokerCpu : TimeSpan.Zero;

        var reached = controller.ReachedAt;
        var latencies = new List<TimeSpan>();
        long lastReached = 0;
        for (int i = 0; i < devices.Count; i++)
        {
            if (reached.TryGetValue(devices[i], out long at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(publishedAt[i], at));
                lastReached = Math.Max(lastReached, at);
            }
        }

        var summary = new LatencySummary(latencies);
        double total = lastReached == 0 ? double.NaN : Stopwatch.GetElapsedTime(publishedAt[0], lastReached).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} (version {version}): {reached.Count}/{devices.Count} running; published all in {published.TotalMilliseconds:0} ms"));
        Console.WriteLine($"  publish -> running: {summary}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first publish -> all running: {total:0.000} s; CPU during the round ({elapsed.TotalSeconds:0.0} s): agents' process {selfUsed.TotalSeconds:0.0} s, broker {brokerUsed.TotalSeconds:0.0} s, machine {machineBusy:0} % busy of {Environment.ProcessorCount} cores"));
        Console.WriteLine($"  agents' process after the round: {ProcessStats.Read(Environment.ProcessId)}");
        if (!all)
        {
            Console.Error.WriteLine($"  {devices.Count - reached.Count} devices did not report running within {timeout.TotalSeconds:0} s; their last reports:");
            foreach (var group in devices.Where(d => !reached.ContainsKey(d)).GroupBy(d => Describe(controller.LatestReport(d))).OrderByDescending(g => g.Count()).Take(8))
            {
                Console.Error.WriteLine($"    {group.Count(),4} × {group.Key}");
            }

            return false;
        }

        await ReportSteadyStateAsync(ct);
        return true;
    }

    /// <summary>What the running fleet costs when nothing changes: N realtime machines mostly sleeping in WFI.</summary>
    private async Task ReportSteadyStateAsync(CancellationToken ct)
    {
        var machine = MachineCpu.Read();
        TimeSpan selfCpu = ProcessStats.CpuTimeOf(Environment.ProcessId);
        await Task.Delay(SteadyWindow, ct);
        double selfPercent = (ProcessStats.CpuTimeOf(Environment.ProcessId) - selfCpu).TotalSeconds / SteadyWindow.TotalSeconds * 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  steady state, {devices.Count} workloads running ({SteadyWindow.TotalSeconds:0} s): agents' process {selfPercent:0} % of one core, machine {MachineCpu.Read().BusyPercentSince(machine):0} % busy; {ProcessStats.LoadAverage()}"));
    }

    private static string Describe(ReportedState? report)
    {
        if (report is null)
        {
            return "no report";
        }

        var workload = report.Workloads.FirstOrDefault(w => w.Name == SensorMonitorDeployment.WorkloadName);
        return workload is null
            ? $"version {report.Version}, no {SensorMonitorDeployment.WorkloadName} workload{(report.LastRejection is { } r ? $", rejected: {r.Message}" : "")}"
            : $"version {report.Version}, {workload.State}{(workload.Reason is null ? "" : $": {workload.Reason}")}";
    }
}
