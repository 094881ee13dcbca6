using System.Text;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>
/// The broker fixture the end-to-end tests stand on: the shipped configuration's persistence keeps retained
/// messages across a graceful restart on the same port, and a plain broker carries the ACL by MQTT username.
/// </summary>
public sealed class MosquittoBrokerTests
{
    [Fact]
    public async Task A_retained_desired_state_survives_a_broker_restart_on_the_same_port()
    {
        using var ca = TestCa.Create("dev-a");
        using var broker = MosquittoBroker.StartTls(ca);
        int port = broker.Port;
        using (IMqttClient controller = await MqttTestClients.ConnectAsync(broker, "controller"))
        {
            await controller.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Desired("dev-a"))
                .WithPayload(Encoding.UTF8.GetBytes("desired-before-restart")).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        broker.Stop();
        Assert.False(broker.IsRunning);
        broker.Start();

        Assert.Equal(port, broker.Port);
        using IMqttClient device = await MqttTestClients.ConnectAsync(broker, "dev-a");
        var seen = new ReceivedMessages(device);
        await device.SubscribeAsync(DeviceTopics.Desired("dev-a"), MqttQualityOfServiceLevel.AtLeastOnce);
        ReceivedMessage retained = await seen.WaitForMessageAsync(DeviceTopics.Desired("dev-a"), _ => true, TimeSpan.FromSeconds(10), "the retained desired state after the restart", broker.Describe);
        Assert.Equal("desired-before-restart", retained.Text);
        Assert.True(retained.Retained);
    }

    [Fact]
    public async Task A_plain_broker_with_the_acl_confines_a_device_by_its_username()
    {
        using var broker = MosquittoBroker.StartPlain(acl: true);
        using IMqttClient device = await MqttTestClients.ConnectAsync(broker, "dev-a");

        MqttClientPublishResult own = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Reported("dev-a"))
            .WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        MqttClientPublishResult other = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Reported("dev-b"))
            .WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        Assert.True(own.IsSuccess, $"dev-a could not publish its own reported state: {own.ReasonCode}\n{broker.Describe()}");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, other.ReasonCode);
        Assert.Contains("Denied PUBLISH from dev-a", broker.Describe(), StringComparison.Ordinal);
    }
}
