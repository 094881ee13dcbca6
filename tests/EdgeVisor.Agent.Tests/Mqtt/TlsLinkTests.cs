using EdgeVisor.Agent.Tests.Provisioning;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>
/// The link over mutual TLS to mosquitto running the shipped configuration (certificates from
/// provisioning/make-test-ca.sh, identity = certificate CN, the per-device ACL): it connects with the device
/// certificate and trusts exactly the configured CA, so a broker certificate from another CA is refused.
/// </summary>
public sealed class TlsLinkTests(TlsBrokerFixture fixture) : IClassFixture<TlsBrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_device_with_its_certificate_connects_says_online_and_publishes_into_its_subtree()
    {
        var broker = fixture.Broker;
        using var controller = await EndToEnd.MqttTestClients.ConnectAsync(broker, "controller");
        var seen = new EndToEnd.ReceivedMessages(controller);
        await controller.SubscribeAsync(DeviceTopics.Subtree("dev-a") + "/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);

        await using var bed = new LinkTestBed("dev-a", "localhost", broker.Port, tls =>
        {
            tls.UseTls = true;
            tls.CaFile = fixture.Ca.CaFile;
            tls.CertificateFile = fixture.Ca.DeviceCertificateFile("dev-a");
            tls.KeyFile = fixture.Ca.DeviceKeyFile("dev-a");
        });
        bed.Start();
        await bed.WaitConnectedAsync(Timeout);
        bed.Link.Event(MqttLinkTests.Event("dev-a", "over TLS"));

        await seen.WaitForMessageAsync(DeviceTopics.Status("dev-a"), m => LinkTestBed.Status(m).State == DeviceStates.Online, Timeout, "online over TLS", broker.Describe);
        await seen.WaitForMessageAsync(DeviceTopics.Events("dev-a"), m => m.Text.Contains("over TLS", StringComparison.Ordinal), Timeout, "the event over TLS", broker.Describe);
    }

    [Fact]
    public async Task A_broker_certificate_from_another_ca_is_refused_and_said_so_in_the_log()
    {
        using var otherCa = TestCa.Create("dev-a");
        await using var bed = new LinkTestBed("dev-a", "localhost", fixture.Broker.Port, tls =>
        {
            tls.UseTls = true;
            tls.CaFile = otherCa.CaFile;
            tls.CertificateFile = fixture.Ca.DeviceCertificateFile("dev-a");
            tls.KeyFile = fixture.Ca.DeviceKeyFile("dev-a");
        });
        bed.Start();
        string line = await bed.Logs.WaitForAsync("Cannot connect to localhost", Timeout);
        Assert.Contains("Warning", line, StringComparison.Ordinal);
        Assert.Contains($"is not signed by the CA in {otherCa.CaFile}", line, StringComparison.Ordinal);
        Assert.False(bed.Link.IsConnected);
    }
}
