using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Fleet.Tests.Client;

/// <summary>A controller against the embedded broker, with plain MQTTnet clients playing the devices.</summary>
public sealed class FleetClientTests : IAsyncLifetime, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private EmbeddedBroker _broker = null!;
    private FleetClient _fleet = null!;

    public async Task InitializeAsync()
    {
        _broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 });
        _fleet = await FleetClient.ConnectAsync(new FleetConnectionOptions { Host = "127.0.0.1", Port = _broker.Port });
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _broker.DisposeAsync();
    }

    public void Dispose() => _key.Dispose();

    private static DesiredState State(string device, long version) => new()
    {
        DeviceId = device,
        DeploymentId = "greenhouse",
        Version = version,
        Workloads = [],
    };

    [Fact]
    public async Task A_deployment_reaches_the_device_as_a_document_its_trust_anchors_verify()
    {
        await _fleet.DeployAsync("pi-01", State("pi-01", 4), _key);

        // The device connects later (it was offline): the document is retained for it.
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        await device.SubscribeAsync(DeviceTopics.Desired("pi-01"));
        var message = await device.NextAsync(DeviceTopics.Desired("pi-01"));
        Assert.True(message.Retain);
        using var anchors = new TrustAnchors();
        anchors.AddPem(_key.ExportSubjectPublicKeyInfoPem(), "test key");
        var verified = DeploymentSignature.Verify(TestDevice.PayloadOf(message), anchors, 1 << 20);
        Assert.Equal(("pi-01", "greenhouse", 4L), (verified.DeviceId, verified.DeploymentId, verified.Version));
    }

    [Fact]
    public async Task The_current_desired_version_is_read_back_from_the_broker()
    {
        Assert.Null(await _fleet.ReadDesiredAsync("pi-01"));
        await _fleet.DeployAsync("pi-01", State("pi-01", 7), _key);
        Assert.Equal(7, (await _fleet.ReadDesiredAsync("pi-01"))?.Version);

        // Another controller (a later `fleet deploy`) sees it too: it is retained, not remembered locally.
        await using var other = await FleetClient.ConnectAsync(new FleetConnectionOptions { Host = "127.0.0.1", Port = _broker.Port });
        Assert.Equal(7, (await other.ReadDesiredAsync("pi-01"))?.Version);
    }

    [Fact]
    public async Task Devices_are_listed_with_their_status_and_reported_state()
    {
        await using var online = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        await online.PublishAsync(DeviceTopics.Status("pi-01"), ProtocolJson.Serialize(new DeviceStatus { DeviceId = "pi-01", State = DeviceStates.Online, AgentVersion = "1.2.3" }), retain: true);
        await online.PublishAsync(DeviceTopics.Reported("pi-01"), ProtocolJson.Serialize(new ReportedState { DeviceId = "pi-01", Version = 3, Converged = true }), retain: true);
        await using var gone = await TestDevice.ConnectAsync(_broker.Port, "pi-02");
        await gone.PublishAsync(DeviceTopics.Status("pi-02"), ProtocolJson.Serialize(new DeviceStatus { DeviceId = "pi-02", State = DeviceStates.Offline }), retain: true);

        var devices = await _fleet.ListDevicesAsync();

        Assert.Equal(["pi-01", "pi-02"], devices.Select(d => d.DeviceId));
        Assert.True(devices[0].Online);
        Assert.Equal("1.2.3", devices[0].Status!.AgentVersion);
        Assert.Equal(3, devices[0].Reported!.Version);
        Assert.False(devices[1].Online);
        Assert.Null(devices[1].Reported);
    }

    [Fact]
    public async Task Command_replies_are_matched_by_correlation_data_even_when_they_arrive_out_of_order()
    {
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        await device.SubscribeAsync(DeviceTopics.AllCommands("pi-01"));
        var requests = new List<MqttApplicationMessage>();
        var bothArrived = new TaskCompletionSource();
        device.Client.ApplicationMessageReceivedAsync += args =>
        {
            lock (requests)
            {
                requests.Add(args.ApplicationMessage);
                if (requests.Count == 2)
                {
                    bothArrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        };

        var first = _fleet.SendCommandAsync("pi-01", "ping", null, TimeSpan.FromSeconds(10));
        var second = _fleet.SendCommandAsync("pi-01", "get-logs", new Dictionary<string, string> { ["workload"] = "sensor" }, TimeSpan.FromSeconds(10));
        await bothArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Answer the second request first; each reply names its command so the test can tell them apart.
        foreach (var request in requests.AsEnumerable().Reverse())
        {
            Assert.Equal(DeviceTopics.Replies("pi-01", _fleet.ControllerId), request.ResponseTopic);
            string name = request.Topic.Split('/')[^1];
            var body = ProtocolJson.Parse<CommandRequest>(TestDevice.PayloadOf(request));
            var reply = new CommandResponse { Ok = true, Result = new JsonObject { ["command"] = name, ["args"] = body.Arguments.Count } };
            await device.Client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(request.ResponseTopic)
                .WithCorrelationData(request.CorrelationData)
                .WithPayload(ProtocolJson.Serialize(reply))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        }

        Assert.Equal("ping", (string?)(await first).Result!["command"]);
        var logs = await second;
        Assert.Equal("get-logs", (string?)logs.Result!["command"]);
        Assert.Equal(1, (int?)logs.Result["args"]);
    }

    [Fact]
    public async Task A_device_that_never_answers_is_a_timeout_naming_the_device_and_command()
    {
        var e = await Assert.ThrowsAsync<FleetException>(() => _fleet.SendCommandAsync("pi-07", "ping", null, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(FleetErrorKind.Timeout, e.Kind);
        Assert.StartsWith("device pi-07 did not answer 'ping' within 0.3s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_lines_and_reported_states_are_followed_live()
    {
        var lines = new List<string>();
        var reports = new List<long?>();
        await using var logs = await _fleet.StreamLogsAsync("pi-01", record => { lock (lines) { lines.AddRange(record.Lines); } });
        await using var watch = await _fleet.WatchReportedAsync("pi-01", report => { lock (reports) { reports.Add(report.Version); } });
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");

        await device.PublishAsync(DeviceTopics.Logs("pi-01", "sensor"), ProtocolJson.Serialize(new LogRecord { DeviceId = "pi-01", Workload = "sensor", Lines = ["tick 1", "tick 2"] }));
        await device.PublishAsync(DeviceTopics.Reported("pi-01"), ProtocolJson.Serialize(new ReportedState { DeviceId = "pi-01", Version = 5 }), retain: true);

        await WaitUntil(() => { lock (lines) { lock (reports) { return lines.Count == 2 && reports.Count == 1; } } }, () => $"lines [{string.Join(", ", lines)}], reports [{string.Join(", ", reports)}]");
        Assert.Equal(["tick 1", "tick 2"], lines);
        Assert.Equal([5L], reports);
    }

    [Fact]
    public async Task An_unreachable_broker_is_named_with_the_reason()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var e = await Assert.ThrowsAsync<FleetException>(() => FleetClient.ConnectAsync(new FleetConnectionOptions { Host = "127.0.0.1", Port = closedPort }));
        Assert.Equal(FleetErrorKind.BrokerUnavailable, e.Kind);
        Assert.StartsWith($"cannot reach broker at 127.0.0.1:{closedPort}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_controller_password_is_not_authorized()
    {
        await using var guarded = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, ControllerPassword = "right" });
        var e = await Assert.ThrowsAsync<FleetException>(() => FleetClient.ConnectAsync(new FleetConnectionOptions { Host = "127.0.0.1", Port = guarded.Port, Password = "wrong" }));
        Assert.Equal(FleetErrorKind.NotAuthorized, e.Kind);
        Assert.Contains("BadUserNameOrPassword", e.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntil(Func<bool> condition, Func<string> seen)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not reached in 10 s; seen: {seen()}");
            }

            await Task.Delay(20);
        }
    }
}
