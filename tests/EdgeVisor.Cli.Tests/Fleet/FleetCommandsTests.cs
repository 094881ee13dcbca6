using System.Buffers;
using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// The operator's commands as real processes against a real <c>edgevisor fleet broker</c>: keygen, deploy (and what
/// it refuses), status and devices, with a plain MQTT client playing the device where one is needed.
/// </summary>
public sealed class FleetCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-fleet-cli-").FullName;

    public FleetCommandsTests()
    {
        File.Copy(FirmwareTree.SampleImage("stm32f4-discovery", "sensor-monitor"), Path.Combine(_dir, "sensor-monitor.elf"));
        File.WriteAllText(Path.Combine(_dir, "deploy.json"), """
            { "deploymentId": "greenhouse", "workloads": [
              { "name": "sensor", "kind": "firmware", "artifact": "sensor-monitor.elf", "firmware": { "board": "stm32f4-discovery" } } ] }
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<ProcessResult> Edgevisor(params string[] arguments) => EdgeVisorCommand.RunInAsync(arguments, _dir);

    private static string Describe(ProcessResult result) =>
        $"{result.CommandLine}\nexit {result.ExitCode}\nstdout: {ProcessRunner.AsText(result.Stdout)}\nstderr: {result.Stderr}";

    [Fact]
    public async Task Keygen_then_deploy_publishes_a_signed_document_the_device_verifies_and_versions_count_up_across_a_broker_restart()
    {
        var keygen = await Edgevisor("fleet", "keygen", "--out", "ops.pem");
        Assert.True(keygen.ExitCode == 0, Describe(keygen));
        Assert.Contains("public key  " + Path.Combine(_dir, "ops.pub.pem"), ProcessRunner.AsText(keygen.Stdout), StringComparison.Ordinal);

        string data = Path.Combine(_dir, "broker-data");
        int port;
        using (var broker = await FleetBrokerProcess.StartAsync("--data-dir", data))
        {
            port = broker.Port;
            var deploy = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem");
            Assert.True(deploy.ExitCode == 0, Describe(deploy));
            Assert.StartsWith("deployed greenhouse version 1 to pi-01: 1 workload(s), signed with key ", ProcessRunner.AsText(deploy.Stdout), StringComparison.Ordinal);
            Assert.Equal(0, await broker.StopAsync());
        }

        using var restarted = await FleetBrokerProcess.StartAsync("--data-dir", data);
        var again = await Edgevisor("fleet", "deploy", "--broker", restarted.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem");
        Assert.True(again.ExitCode == 0, Describe(again));
        Assert.StartsWith("deployed greenhouse version 2 to pi-01", ProcessRunner.AsText(again.Stdout), StringComparison.Ordinal);

        // The device (a plain MQTT client under its own identity) receives version 2 and its trust anchors accept it.
        using var anchors = new TrustAnchors();
        anchors.AddPem(File.ReadAllText(Path.Combine(_dir, "ops.pub.pem")), "ops.pub.pem");
        byte[] document = await ReceiveRetainedAsync(restarted.Port, "pi-01", DeviceTopics.Desired("pi-01"));
        var state = DeploymentSignature.Verify(document, anchors, 1 << 20);
        Assert.Equal((2L, "greenhouse", "sensor"), (state.Version, state.DeploymentId, state.Workloads[0].Name));
        Assert.Equal(Path.Combine(_dir, "sensor-monitor.elf"), state.Workloads[0].Artifact.Url);

        var stale = await Edgevisor("fleet", "deploy", "--broker", restarted.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem", "--version", "2");
        Assert.True(stale.ExitCode == 78, Describe(stale));
        Assert.Contains("device pi-01 already has version 2", stale.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_manifests_keys_and_brokers_have_their_own_exit_codes_and_publish_nothing()
    {
        using var broker = await FleetBrokerProcess.StartAsync();
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "ops.pem")).ExitCode);
        File.WriteAllText(Path.Combine(_dir, "bad.json"), """{ "workloads": [ { "name": "sensor", "kind": "firmware", "artifact": "sensor-monitor.elf", "firmware": { } } ] }""");

        var badManifest = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "bad.json", "--key", "ops.pem");
        Assert.True(badManifest.ExitCode == 78, Describe(badManifest));
        Assert.Equal("edgevisor fleet: bad.json: workloads[0].firmware.board: required\n", badManifest.Stderr);

        var publicKey = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pub.pem");
        Assert.True(publicKey.ExitCode == 77, Describe(publicKey));
        Assert.Contains("ops.pub.pem: a public key; signing needs the private key", publicKey.Stderr, StringComparison.Ordinal);

        var missingKey = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "nope.pem");
        Assert.True(missingKey.ExitCode == 77, Describe(missingKey));

        var status = await Edgevisor("fleet", "status", "--broker", broker.Address);
        Assert.Equal("no devices have connected to this broker\n", ProcessRunner.AsText(status.Stdout));
        Assert.Empty(await ReadRetainedTopicsAsync(broker.Port));

        await broker.StopAsync();
        var unreachable = await Edgevisor("fleet", "devices", "--broker", broker.Address);
        Assert.True(unreachable.ExitCode == 69, Describe(unreachable));
        Assert.StartsWith($"edgevisor fleet: cannot reach broker at {broker.Address}: ", unreachable.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_and_devices_show_what_devices_report()
    {
        using var broker = await FleetBrokerProcess.StartAsync();
        var since = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
        await PublishAsDeviceAsync(broker.Port, "pi-01",
            (DeviceTopics.Status("pi-01"), ProtocolJson.Serialize(new DeviceStatus { DeviceId = "pi-01", State = DeviceStates.Online, AgentVersion = "0.5.0", Since = since })),
            (DeviceTopics.Reported("pi-01"), ProtocolJson.Serialize(new ReportedState
            {
                DeviceId = "pi-01",
                DeploymentId = "greenhouse",
                Version = 3,
                Converged = false,
                Workloads =
                [
                    new WorkloadReport { Name = "sensor", Kind = "firmware", State = WorkloadState.Running },
                    new WorkloadReport { Name = "logger", Kind = "firmware", State = WorkloadState.Failed, Reason = "exited with code 3", Restarts = 2 },
                ],
            })));
        await PublishAsDeviceAsync(broker.Port, "pi-02",
            (DeviceTopics.Status("pi-02"), ProtocolJson.Serialize(new DeviceStatus { DeviceId = "pi-02", State = DeviceStates.Offline, AgentVersion = "0.5.0", Since = since })));

        var status = await Edgevisor("fleet", "status", "--broker", broker.Address);
        Assert.True(status.ExitCode == 0, Describe(status));
        Assert.Equal(
            """
            DEVICE  STATUS   DEPLOYMENT  VERSION  CONVERGED
            pi-01   online   greenhouse  3        no
                sensor  running
                logger  failed  restarts 2  exited with code 3
            pi-02   offline  -           -        -

            """.Replace("\r", "", StringComparison.Ordinal),
            ProcessRunner.AsText(status.Stdout));

        var json = await Edgevisor("fleet", "status", "--broker", broker.Address, "--device", "pi-01", "--json");
        var report = ProtocolJson.Parse<ReportedState>(json.Stdout);
        Assert.Equal(WorkloadState.Failed, report.Workloads[1].State);

        var devices = await Edgevisor("fleet", "devices", "--broker", broker.Address);
        Assert.Equal(
            """
            DEVICE  STATUS   SINCE                 AGENT
            pi-01   online   2026-11-26 09:30:00Z  0.5.0
            pi-02   offline  2026-11-26 09:30:00Z  0.5.0

            """,
            ProcessRunner.AsText(devices.Stdout));

        var unknown = await Edgevisor("fleet", "status", "--broker", broker.Address, "--device", "pi-09");
        Assert.True(unknown.ExitCode == 1, Describe(unknown));
    }

    [Fact]
    public async Task A_command_to_a_silent_device_times_out_with_exit_124()
    {
        using var broker = await FleetBrokerProcess.StartAsync();
        var result = await Edgevisor("fleet", "command", "--broker", broker.Address, "--device", "pi-01", "ping", "--timeout", "300ms");
        Assert.True(result.ExitCode == 124, Describe(result));
        Assert.Equal("edgevisor fleet: device pi-01 did not answer 'ping' within 0.3s (is it online?)\n", result.Stderr);
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string userName)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(userName + "-test")
            .WithCredentials(userName, (string?)null)
            .Build());
        return client;
    }

    private static async Task PublishAsDeviceAsync(int port, string deviceId, params (string Topic, byte[] Payload)[] messages)
    {
        using var client = await ConnectAsync(port, deviceId);
        foreach (var (topic, payload) in messages)
        {
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic).WithPayload(payload).WithRetainFlag(true).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True((int)result.ReasonCode < 0x80, $"{topic}: {result.ReasonCode}");
        }

        await client.DisconnectAsync();
    }

    private static async Task<byte[]> ReceiveRetainedAsync(int port, string userName, string topic)
    {
        using var client = await ConnectAsync(port, userName);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += args =>
        {
            received.TrySetResult(args.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        byte[] payload = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await client.DisconnectAsync();
        return payload;
    }

    private static async Task<IReadOnlyCollection<string>> ReadRetainedTopicsAsync(int port)
    {
        await using var fleet = await EdgeVisor.Fleet.Client.FleetClient.ConnectAsync(new() { Host = "127.0.0.1", Port = port });
        return (await fleet.ReadRetainedAsync("edgevisor/#")).Keys.ToList();
    }
}
