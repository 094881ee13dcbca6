using System.Text;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;
using MQTTnet;

namespace EdgeVisor.Fleet.Tests.Broker;

/// <summary>TLS with client certificates: the certificate's CN is the identity, whatever user name is sent.</summary>
public sealed class EmbeddedBrokerTlsTests : IAsyncLifetime, IDisposable
{
    private readonly TestCertificates _pki = new();
    private EmbeddedBroker _broker = null!;

    public async Task InitializeAsync()
    {
        var (certificate, key, _) = _pki.Issue("localhost", server: true);
        _broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions
        {
            Port = 0,
            TlsCertificateFile = certificate,
            TlsKeyFile = key,
            ClientCaFile = _pki.CaFile,
        });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task The_certificate_cn_is_the_identity_even_when_the_user_name_claims_another()
    {
        var (_, _, certificate) = _pki.Issue("pi-01");
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "controller", tls: TestDevice.Tls(_pki.Ca, certificate));
        byte[] payload = Encoding.UTF8.GetBytes("{}");
        Assert.True((int)await device.PublishAsync(DeviceTopics.Reported("pi-01"), payload) < 0x80);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync(DeviceTopics.Desired("pi-01"), payload));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync(DeviceTopics.Reported("pi-02"), payload));
    }

    [Fact]
    public async Task A_controller_certificate_makes_a_controller_without_a_password()
    {
        var (_, _, certificate) = _pki.Issue("controller");
        await using var controller = await TestDevice.ConnectAsync(_broker.Port, null, tls: TestDevice.Tls(_pki.Ca, certificate));
        Assert.True((int)await controller.PublishAsync(DeviceTopics.Desired("pi-01"), [1]) < 0x80);
    }

    [Fact]
    public async Task Clients_without_a_certificate_or_with_one_from_another_ca_cannot_connect()
    {
        using var stranger = new TestCertificates("Somebody Else's CA");
        var (_, _, foreign) = stranger.Issue("pi-01");
        await Assert.ThrowsAnyAsync<Exception>(() => TestDevice.ConnectAsync(_broker.Port, "pi-01", tls: TestDevice.Tls(_pki.Ca, null)));
        await Assert.ThrowsAnyAsync<Exception>(() => TestDevice.ConnectAsync(_broker.Port, "pi-01", tls: TestDevice.Tls(_pki.Ca, foreign)));

        // The same client with a certificate from the right CA connects: the refusals above are about the certificate.
        var (_, _, good) = _pki.Issue("pi-01");
        await using var device = await TestDevice.ConnectAsync(_broker.Port, "pi-01", tls: TestDevice.Tls(_pki.Ca, good));
        Assert.True(device.Client.IsConnected);
    }

    [Fact]
    public async Task Plain_tcp_is_not_served_on_a_tls_port() =>
        await Assert.ThrowsAnyAsync<Exception>(() => TestDevice.ConnectAsync(_broker.Port, "pi-01"));

    [Fact]
    public async Task Missing_tls_files_stop_the_broker_naming_the_file()
    {
        var e = await Assert.ThrowsAsync<BrokerConfigurationException>(() => EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions
        {
            Port = 0,
            TlsCertificateFile = "/nonexistent/server.crt",
            TlsKeyFile = "/nonexistent/server.key",
        }));
        Assert.Contains("/nonexistent/server.crt", e.Message, StringComparison.Ordinal);
    }
}
