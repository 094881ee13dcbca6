using System.Diagnostics;
using EdgeVisor.Agent;
using EdgeVisor.Bench.Agents;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Firmware;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Bench.Containers;

/// <summary>What the agent-side rounds measured, each a set of N starts.</summary>
internal sealed record AgentFigures(
    LatencySummary PublishToLine,
    LatencySummary PublishToRunning,
    LatencySummary ReceivedToLine,
    LatencySummary ReceivedToRunning,
    LatencySummary DriverToLine);

/// <summary>
/// The same container through a whole agent in this process (<see cref="AgentRuntime"/> with mosquitto, the image
/// already pulled from the run's registry): each round deploys it (a new version adding the workload) and then
/// removes it again, and times the start from the desired-state publish (over MQTT) and from the reconciler receiving
/// the document (handed to <see cref="Agent.Reconciliation.Reconciler.SubmitDesired"/> directly) to the reported
/// <c>running</c> (as the controller receives it; it includes the agent's health window) and to the container's
/// first output line.
/// </summary>
internal static class AgentRuns
{
    private const string Device = "containers-bench";
    private const string Workload = "bench";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    public static async Task<AgentFigures> RunAsync(BenchWorkload workload, ArtifactRef image, string registryHost, string directory, int runs, double healthWindowSeconds, CancellationToken ct)
    {
        await using var broker = await BenchBroker.StartAsync("mosquitto", ct);
        await using var controller = await BenchController.ConnectAsync("127.0.0.1", broker.Port, ct);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        using var http = new HttpClient();
        var options = new AgentOptions
        {
            DeviceId = Device,
            StateDirectory = Path.Combine(directory, "agent"),
            Broker = new BrokerOptions { Host = "127.0.0.1", Port = broker.Port, Username = Device },
            TrustedKeys = [workload.TrustedKeyPem],
            Containers = workload.Options(directory, registryHost),
            ControlSocket = null,
            Reconcile = new ReconcileOptions { HealthCheckSeconds = healthWindowSeconds },
        };
        var driver = new TimedDriver(new ContainerDriver(options.Containers, options.StateDirectory, http, loggers));
        var runtime = await AgentRuntime.StartAsync(options, loggers, ct, [new FirmwareDriver(loggers), driver]);
        try
        {
            await runtime.Ready.WaitAsync(StepTimeout, ct);
            await WaitAsync(() => controller.CountOnline([Device]) == 1, "the agent online", ct);
            long version = 0;

            // Warm: the first deployment pulls and unpacks the image; its start is not counted.
            await DeployAsync("warm", publish: true);
            await RemoveAsync();

            var publishToLine = new List<TimeSpan>();
            var publishToRunning = new List<TimeSpan>();
            var receivedToLine = new List<TimeSpan>();
            var receivedToRunning = new List<TimeSpan>();
            var driverToLine = new List<TimeSpan>();
            for (int i = 0; i < runs; i++)
            {
                foreach (bool publish in new[] { true, false })
                {
                    string marker = $"{(publish ? "mqtt" : "direct")}-{i}";
                    var (toLine, toRunning, fromDriver) = await DeployAsync(marker, publish);
                    (publish ? publishToLine : receivedToLine).Add(toLine);
                    (publish ? publishToRunning : receivedToRunning).Add(toRunning);
                    driverToLine.Add(fromDriver);
                    await RemoveAsync();
                }
            }

            return new AgentFigures(new(publishToLine), new(publishToRunning), new(receivedToLine), new(receivedToRunning), new(driverToLine));

            async Task<(TimeSpan ToLine, TimeSpan ToRunning, TimeSpan DriverToLine)> DeployAsync(string marker, bool publish)
            {
                version++;
                byte[] payload = workload.SignedFor(Device, version, image, [(Workload, marker)]);
                controller.SetGoal(version, Workload, DateTimeOffset.UtcNow.AddSeconds(-1));
                long sent;
                if (publish)
                {
                    var (startedAt, completion) = controller.PublishDesired(Device, payload, ct);
                    sent = startedAt;
                    await completion;
                }
                else
                {
                    sent = Stopwatch.GetTimestamp();
                    runtime.Reconciler.SubmitDesired(payload);
                }

                string line = BenchWorkload.ReadyLine(marker);
                await WaitAsync(() => controller.ReachedAt.ContainsKey(Device) && driver.LineAt(line) is not null, $"'{marker}' running and its first line", ct, () => Describe(controller.LatestReport(Device)));
                long lineAt = driver.LineAt(line)!.Value;
                return (
                    Stopwatch.GetElapsedTime(sent, lineAt),
                    Stopwatch.GetElapsedTime(sent, controller.ReachedAt[Device]),
                    Stopwatch.GetElapsedTime(driver.StartCalledAt(marker) ?? lineAt, lineAt));
            }

            async Task RemoveAsync()
            {
                version++;
                var (_, completion) = controller.PublishDesired(Device, workload.SignedFor(Device, version, image, []), ct);
                await completion;
                await WaitAsync(() => controller.LatestReport(Device) is { } r && r.Version == version && r.Converged && r.Workloads.Count == 0, $"version {version} (no workloads) applied", ct, () => Describe(controller.LatestReport(Device)));
            }
        }
        finally
        {
            await runtime.StopAsync(CancellationToken.None);
            await runtime.DisposeAsync();
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what, CancellationToken ct, Func<string>? seen = null)
    {
        if (!await AgentsBenchmark.WaitAsync(condition, StepTimeout, ct))
        {
            throw new TimeoutException($"containers: no {what} within {StepTimeout.TotalSeconds:0} s{(seen is null ? "" : "; last report: " + seen())}");
        }
    }

    private static string Describe(ReportedState? report) =>
        report is null ? "none" : $"version {report.Version}: " + string.Join(", ", report.Workloads.Select(w => $"{w.Name} {w.State} {w.Reason}"));
}
