using System.Security.Authentication;
using System.Text;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>One mosquitto from the shipped configuration and ACL (mutual TLS, CN = identity) for the ACL tests.</summary>
public sealed class TlsBrokerFixture : IDisposable
{
    public TlsBrokerFixture()
    {
        Ca = TestCa.Create("dev-a", "dev-b");
        Broker = MosquittoBroker.StartTls(Ca);
    }

    public TestCa Ca { get; }

    public MosquittoBroker Broker { get; }

    public void Dispose()
    {
        Broker.Dispose();
        Ca.Dispose();
    }
}

/// <summary>
/// The shipped broker configuration (provisioning/mosquitto) run by the real mosquitto: a device reads and writes
/// only its own subtree, as the ACL rule in the common brief and edgevisor.acl say; a controller reads and writes
/// everything; a client without a fleet certificate cannot connect at all.
/// </summary>
public sealed class BrokerAclTests(TlsBrokerFixture fixture) : IClassFixture<TlsBrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private MosquittoBroker Broker => fixture.Broker;

    [Theory]
    [InlineData("desired")]
    [InlineData("reported")]
    [InlineData("status")]
    [InlineData("events")]
    [InlineData("commands/ping")]
    [InlineData("replies/controller")]
    public async Task A_device_publishing_into_another_devices_subtree_is_refused_and_nobody_receives_it(string level)
    {
        using IMqttClient observer = await MqttTestClients.ConnectAsync(Broker, "controller");
        var seen = new ReceivedMessages(observer);
        await observer.SubscribeAsync(DeviceTopics.Subtree("dev-b") + "/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using IMqttClient devB = await MqttTestClients.ConnectAsync(Broker, "dev-b");
        var seenByB = new ReceivedMessages(devB);
        await devB.SubscribeAsync(DeviceTopics.Desired("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce);
        await devB.SubscribeAsync(DeviceTopics.AllCommands("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce);
        using IMqttClient devA = await MqttTestClients.ConnectAsync(Broker, "dev-a");

        string topic = $"{DeviceTopics.Subtree("dev-b")}/{level}";
        string marker = "forged-by-dev-a-" + Guid.NewGuid().ToString("N");
        MqttClientPublishResult result = await devA.PublishAsync(Message(topic, marker));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        // mosquitto answers the PUBACK only after routing the message, so a sentinel the controller publishes
        // afterwards arrives after anything the forged one could have caused.
        await AssertNeverDelivered(marker, observer, seen, seenByB);
    }

    [Fact]
    public async Task A_device_cannot_write_its_own_desired_state_nor_anything_outside_the_edgevisor_tree()
    {
        using IMqttClient observer = await MqttTestClients.ConnectAsync(Broker, "controller");
        var seen = new ReceivedMessages(observer);
        await observer.SubscribeAsync("#", MqttQualityOfServiceLevel.AtLeastOnce);
        using IMqttClient devA = await MqttTestClients.ConnectAsync(Broker, "dev-a");
        string marker = "forged-" + Guid.NewGuid().ToString("N");

        MqttClientPublishResult ownDesired = await devA.PublishAsync(Message(DeviceTopics.Desired("dev-a"), marker));
        MqttClientPublishResult outside = await devA.PublishAsync(Message("plant/line-1/valve", marker));
        MqttClientPublishResult ownCommand = await devA.PublishAsync(Message(DeviceTopics.Command("dev-a", "reboot-agent"), marker));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ownDesired.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, outside.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ownCommand.ReasonCode);
        await AssertNeverDelivered(marker, observer, seen);
    }

    [Fact]
    public async Task A_device_subscribed_to_another_devices_topics_receives_nothing_of_them()
    {
        using IMqttClient controller = await MqttTestClients.ConnectAsync(Broker, "controller");
        string marker = "for-dev-b-only-" + Guid.NewGuid().ToString("N");
        // A retained desired state already on dev-b's topic before dev-a subscribes, and a command after.
        await controller.PublishAsync(Message(DeviceTopics.Desired("dev-b"), marker, retain: true));

        using IMqttClient devA = await MqttTestClients.ConnectAsync(Broker, "dev-a");
        var seenByA = new ReceivedMessages(devA);
        MqttClientSubscribeResult subscribed = await devA.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DeviceTopics.Desired("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.Reported("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.AllCommands("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.Root + "/+/desired", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.Desired("dev-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        await controller.PublishAsync(Message(DeviceTopics.Command("dev-b", "ping"), marker));
        await controller.PublishAsync(Message(DeviceTopics.Reported("dev-b"), marker));
        await controller.PublishAsync(Message(DeviceTopics.Desired("dev-b"), marker, retain: true));

        // mosquitto 2.0's ACL checks a read when it delivers, not when it subscribes: the SUBACK grants the filter
        // (the embedded broker refuses it instead), and the ACL shows in what is delivered. This records what
        // mosquitto answers, so a change of behaviour is noticed.
        Assert.All(subscribed.Items, item => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, item.ResultCode));
        string sentinel = "sentinel-" + Guid.NewGuid().ToString("N");
        await controller.PublishAsync(Message(DeviceTopics.Desired("dev-a"), sentinel, retain: false));
        await seenByA.WaitForMessageAsync(DeviceTopics.Desired("dev-a"), m => m.Text == sentinel, Timeout, "dev-a's own desired state (the sentinel)", Broker.Describe);
        Assert.DoesNotContain(seenByA.All, m => m.Text.Contains(marker, StringComparison.Ordinal));
        Assert.All(seenByA.All, m => Assert.Equal(DeviceTopics.Desired("dev-a"), m.Topic));
        await controller.PublishAsync(Message(DeviceTopics.Desired("dev-b"), "", retain: true)); // clear the retained one for other tests
    }

    [Fact]
    public async Task A_device_reads_its_desired_state_and_commands_and_writes_every_topic_the_rule_allows()
    {
        using IMqttClient controller = await MqttTestClients.ConnectAsync(Broker, "controller");
        var seenByController = new ReceivedMessages(controller);
        await controller.SubscribeAsync(DeviceTopics.Subtree("dev-a") + "/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using IMqttClient devA = await MqttTestClients.ConnectAsync(Broker, "dev-a");
        var seenByA = new ReceivedMessages(devA);
        MqttClientSubscribeResult subscribed = await devA.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DeviceTopics.Desired("dev-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.AllCommands("dev-a"), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.All(subscribed.Items, item => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, item.ResultCode));

        await controller.PublishAsync(Message(DeviceTopics.Desired("dev-a"), "desired-1"));
        await controller.PublishAsync(Message(DeviceTopics.Command("dev-a", "ping"), "ping-1"));
        await seenByA.WaitForAsync(all => all.Count >= 2 ? all : null, Timeout, "dev-a's desired state and command", Broker.Describe);

        string[] allowed =
        [
            DeviceTopics.Reported("dev-a"), DeviceTopics.Status("dev-a"), DeviceTopics.Events("dev-a"),
            DeviceTopics.Telemetry("dev-a", "temperature"), DeviceTopics.Logs("dev-a", "sensor"), DeviceTopics.Replies("dev-a", "controller"),
        ];
        foreach (string topic in allowed)
        {
            MqttClientPublishResult result = await devA.PublishAsync(Message(topic, "from-dev-a"));
            Assert.True(result.IsSuccess, $"publishing to {topic} was refused: {result.ReasonCode}");
        }

        await seenByController.WaitForAsync(
            all => allowed.All(topic => all.Any(m => m.Topic == topic && m.Text == "from-dev-a")) ? all : null,
            Timeout, "every allowed publication of dev-a at the controller", Broker.Describe);
    }

    [Fact]
    public async Task A_client_without_a_fleet_certificate_cannot_connect()
    {
        using var stranger = TestCa.Create("dev-a"); // same CN, different CA
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("localhost")
                .WithTrustChain([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(fixture.Ca.CaFile)])
                .WithClientCertificates([System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                    stranger.DeviceCertificateFile("dev-a"), stranger.DeviceKeyFile("dev-a"))]))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        var noCertificate = new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("localhost")
                .WithTrustChain([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(fixture.Ca.CaFile)]))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        var plainText = new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCredentials("dev-a")
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();

        foreach ((string who, MqttClientOptions clientOptions) in new[] { ("a certificate of another CA", options), ("no certificate", noCertificate), ("plain MQTT", plainText) })
        {
            using IMqttClient client = new MqttClientFactory().CreateMqttClient();
            Exception? refused = await Record.ExceptionAsync(() => client.ConnectAsync(clientOptions));
            Assert.True(refused is not null, $"a client with {who} connected");
            Assert.False(client.IsConnected, $"a client with {who} is connected");
        }
    }

    private async Task AssertNeverDelivered(string marker, IMqttClient controller, params ReceivedMessages[] observers)
    {
        string sentinel = "sentinel-" + Guid.NewGuid().ToString("N");
        await controller.PublishAsync(Message(DeviceTopics.Reported("dev-b"), sentinel));
        await observers[0].WaitForMessageAsync(DeviceTopics.Reported("dev-b"), m => m.Text == sentinel, Timeout, "the controller's sentinel", Broker.Describe);
        foreach (ReceivedMessages observer in observers)
        {
            Assert.DoesNotContain(observer.All, m => m.Text.Contains(marker, StringComparison.Ordinal));
        }
    }

    private static MqttApplicationMessage Message(string topic, string text, bool retain = false) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(Encoding.UTF8.GetBytes(text))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag(retain)
        .Build();
}
