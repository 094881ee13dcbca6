using System.Text;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Fleet.Tests.Broker;

/// <summary>The per-device ACL as clients see it: PUBACK/SUBACK NotAuthorized, and nothing delivered.</summary>
public sealed class EmbeddedBrokerAclTests : IAsyncLifetime
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"schema\":1}");
    private EmbeddedBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Port_zero_picks_a_free_port_that_clients_can_reach()
    {
        Assert.NotEqual(0, _broker.Port);
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        Assert.True(device.Client.IsConnected);
    }

    [Fact]
    public async Task A_device_cannot_publish_into_another_devices_topics_and_nobody_receives_it()
    {
        await using var controller = await TestDevice.ConnectAsync(_broker.Port, "controller");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await controller.SubscribeAsync("edgevisor/#"));
        await using var intruder = await TestDevice.ConnectAsync(_broker.Port, "pi-02");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await intruder.PublishAsync(DeviceTopics.Reported("pi-01"), Payload));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await intruder.PublishAsync(DeviceTopics.Status("pi-01"), Payload));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await intruder.PublishAsync(DeviceTopics.Logs("pi-01", "sensor"), Payload));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await intruder.PublishAsync("elsewhere/topic", Payload));

        // Its own reported state goes through, and is the only thing the controller sees.
        Assert.True((int)await intruder.PublishAsync(DeviceTopics.Reported("pi-02"), Payload) < 0x80);
        var delivered = await controller.NextAsync(DeviceTopics.Reported("pi-02"));
        Assert.Equal(Payload, TestDevice.PayloadOf(delivered));
        Assert.Empty(await controller.TopicsWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_device_cannot_write_its_own_desired_state_or_commands()
    {
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync(DeviceTopics.Desired("pi-01"), Payload, retain: true));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync(DeviceTopics.Command("pi-01", "ping"), Payload));
        Assert.Null(await _broker.Server.GetRetainedMessageAsync(DeviceTopics.Desired("pi-01")));
    }

    [Fact]
    public async Task A_device_writes_every_topic_of_its_own_that_the_protocol_gives_it()
    {
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        string[] own =
        [
            DeviceTopics.Reported("pi-01"), DeviceTopics.Status("pi-01"), DeviceTopics.Events("pi-01"),
            DeviceTopics.Telemetry("pi-01", "agent"), DeviceTopics.Logs("pi-01", "sensor"), DeviceTopics.Replies("pi-01", "controller-a1"),
        ];
        foreach (string topic in own)
        {
            var code = await device.PublishAsync(topic, Payload);
            Assert.True((int)code < 0x80, $"{topic}: {code}");
        }
    }

    [Fact]
    public async Task A_device_subscribes_only_to_its_desired_state_and_commands()
    {
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(DeviceTopics.Desired("pi-01")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(DeviceTopics.AllCommands("pi-01")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(DeviceTopics.Command("pi-01", "ping")));

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync(DeviceTopics.Desired("pi-02")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync(DeviceTopics.Subtree("pi-01") + "/#"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync(DeviceTopics.Root + "/+/desired"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync(DeviceTopics.Reported("pi-02")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync("#"));
        // MQTTnet's server has no shared subscriptions at all; either way the device gets nothing of pi-02.
        Assert.True(await device.SubscribeAsync("$share/g/" + DeviceTopics.Desired("pi-02")) > MqttClientSubscribeResultCode.GrantedQoS2);
    }

    [Fact]
    public async Task A_controller_publishes_desired_state_that_reaches_only_its_device()
    {
        await using var target = await TestDevice.ConnectAsync(_broker.Port, "pi-01");
        await target.SubscribeAsync(DeviceTopics.Desired("pi-01"));
        await using var other = await TestDevice.ConnectAsync(_broker.Port, "pi-02");
        await other.SubscribeAsync(DeviceTopics.Desired("pi-02"));
        await using var controller = await TestDevice.ConnectAsync(_broker.Port, "controller-ops");

        Assert.True((int)await controller.PublishAsync(DeviceTopics.Desired("pi-01"), Payload, retain: true) < 0x80);
        Assert.Equal(Payload, TestDevice.PayloadOf(await target.NextAsync(DeviceTopics.Desired("pi-01"))));
        Assert.Empty(await other.TopicsWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await controller.SubscribeAsync("#"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await controller.PublishAsync("other/app", Payload));
    }

    [Fact]
    public async Task A_client_without_a_user_name_or_with_a_name_that_is_no_device_id_is_refused()
    {
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestDevice.TryConnectAsync(_broker.Port, null));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestDevice.TryConnectAsync(_broker.Port, "pi 01/#"));
    }

    [Fact]
    public async Task A_last_will_aimed_at_another_device_is_not_delivered_but_one_on_its_own_status_is()
    {
        await using var controller = await TestDevice.ConnectAsync(_broker.Port, "controller");
        await controller.SubscribeAsync("edgevisor/#");
        var honest = await TestDevice.ConnectAsync(_broker.Port, "pi-03", configure: options => options
            .WithWillTopic(DeviceTopics.Status("pi-03"))
            .WithWillPayload(Payload)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        honest.Client.Dispose();
        Assert.Equal(Payload, TestDevice.PayloadOf(await controller.NextAsync(DeviceTopics.Status("pi-03"))));

        var rogue = await TestDevice.ConnectAsync(_broker.Port, "pi-02", configure: options => options
            .WithWillTopic(DeviceTopics.Status("pi-01"))
            .WithWillPayload(Payload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));

        // Dropping the connection without DISCONNECT makes the broker publish the will.
        rogue.Client.Dispose();
        Assert.Empty(await controller.TopicsWithinAsync(TimeSpan.FromMilliseconds(800)));
        Assert.Null(await _broker.Server.GetRetainedMessageAsync(DeviceTopics.Status("pi-01")));
    }
}

/// <summary>The controller password of <c>fleet broker --controller-password-file</c>.</summary>
public sealed class EmbeddedBrokerControllerPasswordTests
{
    [Fact]
    public async Task With_a_controller_password_a_controller_must_present_it_and_devices_need_none()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, ControllerPassword = "s3cret" });
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestDevice.TryConnectAsync(broker.Port, "controller"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestDevice.TryConnectAsync(broker.Port, "controller-x", "guess"));
        Assert.Equal(MqttClientConnectResultCode.Success, await TestDevice.TryConnectAsync(broker.Port, "controller-x", "s3cret"));
        Assert.Equal(MqttClientConnectResultCode.Success, await TestDevice.TryConnectAsync(broker.Port, "pi-01"));
    }
}
