using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Agent.Tests.Mqtt;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// Several whole agents in one process (what the demo and the 200-agent benchmark do): each with its own state
/// directory and connection runs its own deployment, and a stop (twice: it is idempotent) leaves each offline.
/// </summary>
public sealed class AgentRuntimeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevisor-runtimes-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Three_agents_in_one_process_each_run_their_own_deployment_and_stop_offline()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var key = SigningKey.Generate();
        using var controller = await MqttTestClients.ConnectAsync(broker, "controller");
        var seen = new ReceivedMessages(controller);
        await controller.SubscribeAsync("edgevisor/v1/devices/#", MqttQualityOfServiceLevel.AtLeastOnce);
        string[] devices = ["rt-1", "rt-2", "rt-3"];
        var logs = new CapturedLogs();
        var runtimes = new List<AgentRuntime>();
        try
        {
            foreach (string device in devices)
            {
                await controller.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(DeviceTopics.Desired(device))
                    .WithPayload(ProtocolJson.Serialize(DeploymentSignature.Sign(SystemdServiceTests.SensorMonitor(device), key)))
                    .WithRetainFlag()
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build());
                var options = new AgentOptions
                {
                    DeviceId = device,
                    StateDirectory = Path.Combine(_directory, device),
                    Broker = new BrokerOptions { Host = broker.Host, Port = broker.Port, ReconnectInitialSeconds = 0.2 },
                    TrustedKeys = [SigningKey.ExportPublicPem(key)],
                    Reconcile = new ReconcileOptions { HealthCheckSeconds = 0.5 },
                };
                var runtime = await AgentRuntime.StartAsync(options, logs, CancellationToken.None);
                runtimes.Add(runtime);
                await runtime.Ready.WaitAsync(Timeout);
            }

            foreach (string device in devices)
            {
                await seen.WaitForMessageAsync(
                    DeviceTopics.Reported(device),
                    m => ProtocolJson.Parse<ReportedState>(m.Payload).Workloads.Any(w => w.State == WorkloadState.Running),
                    Timeout,
                    $"{device} running",
                    () => logs.Text);
            }

            Assert.All(runtimes, r => Assert.Equal(WorkloadState.Running, Assert.Single(r.Reconciler.Current.Workloads).State));
        }
        finally
        {
            foreach (var runtime in runtimes)
            {
                await runtime.StopAsync(CancellationToken.None);
                await runtime.StopAsync(CancellationToken.None);
                await runtime.DisposeAsync();
            }
        }

        foreach (string device in devices)
        {
            await seen.WaitForAsync(
                all => all.LastOrDefault(m => m.Topic == DeviceTopics.Status(device)) is { } last && ProtocolJson.Parse<DeviceStatus>(last.Payload).State == DeviceStates.Offline ? last : null,
                Timeout,
                $"{device} offline",
                () => logs.Text);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
