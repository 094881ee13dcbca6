using System.Diagnostics;
using System.Globalization;
using EdgeVisor.Agent;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// bench agents [--agents N] [--broker mosquitto|embedded] [--repeat] [--timeout S]: N agents in this one process
/// (each an <see cref="AgentRuntime"/> with its own state directory, LiteDB file and MQTT connection, all
/// trusting the same key) against a real broker. After all are online, a signed desired state (sensor-monitor,
/// realtime) is published to every device as fast as one controller connection allows, and each device's time
/// from its publish to its reported state showing the workload running is measured. <c>--repeat</c> adds an
/// update round (a new version that changes the workload spec, so every machine is stopped and started again).
/// </summary>
public static class AgentsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = BenchArguments.Int(args, "--agents", 200);
        string brokerKind = BenchArguments.String(args, "--broker") ?? "mosquitto";
        bool repeat = args.Contains("--repeat");
        var timeout = TimeSpan.FromSeconds(BenchArguments.Int(args, "--timeout", 300));
        var (defaultImage, defaultWiring) = SensorMonitorDeployment.DefaultPaths(RepositoryRoot.Find());
        using var deployment = new SensorMonitorDeployment(BenchArguments.String(args, "--image") ?? defaultImage, BenchArguments.String(args, "--wiring") ?? defaultWiring);

        var work = Directory.CreateTempSubdirectory("edgevisor-bench-agents-");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            await using var broker = await BenchBroker.StartAsync(brokerKind, cancel.Token);
            await using var controller = await BenchController.ConnectAsync("127.0.0.1", broker.Port, cancel.Token);
            Console.WriteLine($"agents: {count} agents in one process against {broker.Description}; {Environment.ProcessorCount} host cores, open-file limit {FileLimit()}");
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            var fleet = new AgentFleet(count, work.FullName, broker.Port, deployment.TrustedKeyPem, loggers);
            try
            {
                var start = Stopwatch.StartNew();
                await fleet.StartAsync(cancel.Token);
                if (!await WaitAsync(() => controller.CountOnline(fleet.DeviceIds) == count, TimeSpan.FromSeconds(120), cancel.Token))
                {
                    Console.Error.WriteLine($"agents: only {controller.CountOnline(fleet.DeviceIds)} of {count} agents came online within 120 s");
                    return 1;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} agents online in {start.Elapsed.TotalSeconds:0.00} s; process: {ProcessStats.Read(Environment.ProcessId)}"));
                var round = new DeploymentRound(controller, deployment, fleet.DeviceIds, broker.ProcessId);
                bool ok = await round.RunAsync("deploy", 1, timeout, cancel.Token);
                if (ok && repeat)
                {
                    ok = await round.RunAsync("update", 2, timeout, cancel.Token);
                }

                if (controller.Unreadable > 0)
                {
                    Console.Error.WriteLine($"agents: {controller.Unreadable} status/reported messages could not be parsed");
                    ok = false;
                }

                return ok ? 0 : 1;
            }
            finally
            {
                var stop = Stopwatch.StartNew();
                int failures = await fleet.StopAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stopped {count} agents in {stop.Elapsed.TotalSeconds:0.00} s{(failures > 0 ? $" ({failures} failed to stop cleanly)" : "")}"));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    internal static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
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

    private static string FileLimit() =>
        File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) is { } line
            ? string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3..4])
            : "unknown";
}
