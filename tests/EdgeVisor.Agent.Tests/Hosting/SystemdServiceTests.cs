using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// The agent process as systemd runs it, with systemd's notify protocol on a socket this test binds: READY=1 only
/// once the deployed firmware runs, WATCHDOG=1 pings while the reconcile loop is alive, SIGTERM stops it cleanly
/// (STOPPING=1, exit 0, retained offline status), and a reboot-agent command ends it with exit code 75 after the
/// reply. Real mosquitto, the real sensor-monitor firmware, a signed deployment.
/// </summary>
public sealed class SystemdServiceTests : IDisposable
{
    private const string Device = "dev-systemd";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevisor-systemd-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly MosquittoBroker _broker = MosquittoBroker.StartPlain();
    private readonly ECDsa _key = SigningKey.Generate();

    public SystemdServiceTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Ready_follows_the_running_workload_watchdog_pings_flow_sigterm_stops_cleanly_and_reboot_agent_exits_75()
    {
        using var controller = await MqttTestClients.ConnectAsync(_broker, "controller");
        var seen = new ReceivedMessages(controller);
        await controller.SubscribeAsync(DeviceTopics.Subtree(Device) + "/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await controller.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.Desired(Device))
            .WithPayload(ProtocolJson.Serialize(DeploymentSignature.Sign(SensorMonitor(), _key)))
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        // First run: the deployment arrives over MQTT and runs; reboot-agent replies, then the process exits with 75.
        using (var first = new AgentProcess(Arguments()))
        {
            await seen.WaitForAsync(_ => Running(seen), Timeout, "sensor running", () => first.Output);
            string replies = DeviceTopics.Replies(Device, "controller");
            await controller.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(DeviceTopics.Command(Device, CommandNames.RebootAgent))
                .WithResponseTopic(replies)
                .WithCorrelationData([7])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            var reply = await seen.WaitForMessageAsync(replies, _ => true, Timeout, "the reboot-agent reply", () => first.Output);
            Assert.True(ProtocolJson.Parse<CommandResponse>(reply.Payload).Ok);
            int code = await first.WaitForExitAsync(Timeout);
            Assert.True(code == 75, $"exit code {code}, expected 75; the agent printed:\n{first.Output}");
        }

        // Second run, under "systemd": the workload is in the store, so the first pass starts it before READY=1.
        using var notify = new NotifySocket();
        var started = DateTimeOffset.UtcNow;
        using var second = new AgentProcess(
            Arguments(),
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "1000000" },
            underSystemd: true);
        var ready = (await notify.WaitForAsync("READY=1", 1, Timeout, () => second.Output))[0];
        var running = await seen.WaitForAsync(_ => Running(seen, after: started), Timeout, "sensor running again", () => second.Output);
        Assert.True(running.Since <= ready, $"READY=1 at {ready:O} came before the workload ran ({running.Since:O})");
        var pings = await notify.WaitForAsync("WATCHDOG=1", 3, Timeout, () => second.Output);
        Assert.All(pings, ping => Assert.True(ping >= ready, "a watchdog ping before READY=1"));

        Assert.True(ProcessSignals.Terminate(second.Id));
        int stopped = await second.WaitForExitAsync(Timeout);
        Assert.True(stopped == 0, $"exit code {stopped} after SIGTERM; the agent printed:\n{second.Output}");
        await notify.WaitForAsync("STOPPING=1", 1, Timeout, () => second.Output);
        var offline = await seen.WaitForAsync(
            all => all.LastOrDefault(m => m.Topic == DeviceTopics.Status(Device)) is { } last && LinkTestStatus(last) == DeviceStates.Offline ? last : null,
            Timeout,
            "offline status after SIGTERM",
            () => second.Output);
        Assert.True(offline.At > ready);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string LinkTestStatus(ReceivedMessage message) => ProtocolJson.Parse<DeviceStatus>(message.Payload).State;

    /// <summary>The latest report (received after <paramref name="after"/>) in which the sensor workload runs.</summary>
    private static WorkloadReport? Running(ReceivedMessages seen, DateTimeOffset? after = null) =>
        seen.On(DeviceTopics.Reported(Device))
            .Where(m => after is null || m.At >= after)
            .Select(m => ProtocolJson.Parse<ReportedState>(m.Payload))
            .SelectMany(r => r.Workloads)
            .LastOrDefault(w => w.Name == "sensor" && w.State == WorkloadState.Running && (after is null || w.Since >= after));

    private string[] Arguments()
    {
        string publicKey = Path.Combine(_directory, "fleet.pub.pem");
        File.WriteAllText(publicKey, SigningKey.ExportPublicPem(_key));
        return
        [
            $"--Agent:DeviceId={Device}",
            $"--Agent:StateDirectory={Path.Combine(_directory, "state")}",
            $"--Agent:Broker:Host={_broker.Host}",
            $"--Agent:Broker:Port={_broker.Port}",
            "--Agent:Broker:ReconnectInitialSeconds=0.2",
            $"--Agent:TrustedKeys:0={publicKey}",
            "--Agent:Reconcile:HealthCheckSeconds=0.5",
        ];
    }

    internal static DesiredState SensorMonitor(string device = Device)
    {
        string images = Path.Combine(ProvisioningFiles.RepositoryRoot, "firmware-images", "stm32f4-discovery");
        return new DesiredState
        {
            DeviceId = device,
            DeploymentId = "systemd-test",
            Version = 1,
            IssuedAt = DateTimeOffset.UtcNow,
            Workloads =
            [
                new WorkloadSpec
                {
                    Name = "sensor",
                    Kind = WorkloadKinds.Firmware,
                    Artifact = Local(Path.Combine(images, "sensor-monitor.elf")),
                    Firmware = new FirmwareSpec { Board = "stm32f4-discovery", Wiring = Local(Path.Combine(images, "sensor-monitor.wiring.json")) },
                },
            ],
        };
    }

    private static ArtifactRef Local(string path) => new()
    {
        Url = path,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
        Size = new FileInfo(path).Length,
    };
}
