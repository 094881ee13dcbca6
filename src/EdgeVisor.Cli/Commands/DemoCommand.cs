using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeVisor.Agent;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Fleet.Manifests;
using EdgeVisor.Fleet.Signing;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor demo [--duration 15s] [--keep]</c>: the whole system on one machine, in one process — the embedded
/// broker on a free loopback port, one agent with a temporary state directory, a signed deployment of the bundled
/// sensor-monitor firmware with its simulated wiring — streaming the firmware's console and the reported states,
/// then stopping everything in order. Exit 0 only if the workload reached running and printed console lines.
/// </summary>
public static class DemoCommand
{
    public const string DeviceId = "demo-01";
    public const string WorkloadName = "sensor";

    public static Command Create()
    {
        var duration = new Option<string>("--duration") { Description = "How long to let the firmware run (10s, 1m).", DefaultValueFactory = _ => "15s" };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary directory (key, agent state, logs) and print where it is." };
        var command = new Command("demo", "Run a broker, an agent and a signed firmware deployment on this machine, and watch it.") { duration, keep };
        command.SetAction((parse, cancellation) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(duration)!, out var length) || length <= TimeSpan.Zero)
            {
                Console.Error.WriteLine($"edgevisor demo: --duration: '{parse.GetValue(duration)}' is not a duration (use 15s, 1m)");
                return Task.FromResult(ExitCodes.Usage);
            }

            return RunAsync(length, parse.GetValue(keep), cancellation);
        });
        return command;
    }

    private static async Task<int> RunAsync(TimeSpan duration, bool keep, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // Ctrl-C and SIGTERM end the demo early but still stop the agent and broker in order.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        string directory = Directory.CreateTempSubdirectory("edgevisor-demo-").FullName;
        var output = new DemoOutput(Console.Out);
        try
        {
            return await RunInAsync(directory, duration, output, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("edgevisor demo: interrupted before the deployment was under way");
            return ExitCodes.Stopped;
        }
        finally
        {
            if (keep)
            {
                output.Line($"kept {directory} (key, firmware, agent state and workload logs)");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<int> RunInAsync(string directory, TimeSpan duration, DemoOutput output, CancellationToken stop)
    {
        // The agent's and broker's own logs are for operators of real devices; the demo shows warnings and errors only.
        using var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true));
        var (keyId, publicKey) = SigningKeys.Generate(Path.Combine(directory, "demo-key.pem"));
        var manifest = DemoFirmware.Extract(Path.Combine(directory, "firmware"));

        await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, loggers.CreateLogger("edgevisor.broker"), stop);
        output.Header(broker.Endpoint, DeviceId, Path.Combine(directory, "agent"), keyId);

        var options = new AgentOptions
        {
            DeviceId = DeviceId,
            StateDirectory = Path.Combine(directory, "agent"),
            Broker = new BrokerOptions { Host = "127.0.0.1", Port = broker.Port, Username = DeviceId, ReconnectInitialSeconds = 0.2, ReconnectMaxSeconds = 2 },
            TrustedKeys = [publicKey],
        };
        Directory.CreateDirectory(options.StateDirectory);
        await using var agent = await AgentRuntime.StartAsync(options, loggers, stop);
        await using var fleet = await FleetClient.ConnectAsync(new FleetConnectionOptions { Host = "127.0.0.1", Port = broker.Port }, stop);
        var progress = new DemoProgress(output, WorkloadName);
        await using (await fleet.WatchStatusAsync(DeviceId, progress.OnStatus, stop))
        await using (await fleet.StreamLogsAsync(DeviceId, progress.OnLogs, stop))
        await using (await fleet.WatchReportedAsync(DeviceId, progress.OnReport, stop))
        await using (await fleet.WatchEventsAsync(DeviceId, progress.OnEvent, stop))
        {
            var loaded = DeploymentManifest.Load(manifest);
            using var key = SigningKeys.LoadPrivate(Path.Combine(directory, "demo-key.pem"));
            var state = loaded.ToDesiredState(DeviceId, 1, DateTimeOffset.UtcNow);
            await fleet.DeployAsync(DeviceId, state, key, stop);
            output.Line($"deployed {state.DeploymentId} version 1: {WorkloadName} = sensor-monitor.elf on stm32f4-discovery, TMP102 simulated on i2c1");

            // Until the duration is over, Ctrl-C, or the agent asks to be restarted (a reboot-agent command).
            var running = Task.Delay(duration, stop);
            await Task.WhenAny(running, agent.StopRequested);

            output.Line("stopping the agent (workloads stop in order, the device reports offline) and the broker");
            using var stopLimit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await agent.StopAsync(stopLimit.Token);
            try
            {
                await progress.Offline.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                output.Line($"[state] {DeviceId}: no offline status within 5 s of stopping");
            }
        }

        await broker.StopAsync();
        return progress.Summarize();
    }
}
