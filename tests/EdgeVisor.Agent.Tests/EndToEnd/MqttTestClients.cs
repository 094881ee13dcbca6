using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// (Here, not in tests/Shared/Mqtt: that folder is compiled into test projects without MQTTnet.)
/// MQTT 5 client options for a test identity on a <see cref="MosquittoBroker"/>: on a TLS broker the identity's
/// client certificate from the broker's <see cref="TestCa"/> (<c>controller</c> or a device id) and the CA as the
/// only trust root; on a plain broker the identity is the MQTT username.
/// </summary>
public static class MqttTestClients
{
    /// <summary>Options for connecting as <paramref name="identity"/>; <paramref name="clientId"/> defaults to a unique one.</summary>
    public static MqttClientOptions Options(MosquittoBroker broker, string identity, string? clientId = null, bool cleanStart = true) =>
        Options(BrokerEndpoint.Of(broker), identity, clientId, cleanStart);

    /// <summary>Options for connecting to <paramref name="broker"/> as <paramref name="identity"/>; a persistent session when <paramref name="cleanStart"/> is false.</summary>
    public static MqttClientOptions Options(BrokerEndpoint broker, string identity, string? clientId = null, bool cleanStart = true)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? $"{identity}-test-{Guid.NewGuid():N}"[..40])
            .WithCleanStart(cleanStart)
            .WithSessionExpiryInterval(cleanStart ? 0u : 600u)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (broker.Ca is null)
        {
            return builder.WithCredentials(identity).Build();
        }

        TestCa ca = broker.Ca;
        bool controller = identity == "controller";
        string certificate = controller ? ca.ControllerCertificateFile : ca.DeviceCertificateFile(identity);
        string key = controller ? ca.ControllerKeyFile : ca.DeviceKeyFile(identity);
        var trust = new X509Certificate2Collection(X509CertificateLoader.LoadCertificateFromFile(ca.CaFile));
        return builder
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost("localhost")
                .WithTrustChain(trust)
                .WithClientCertificates(new X509Certificate2Collection(X509Certificate2.CreateFromPemFile(certificate, key))))
            .Build();
    }

    /// <summary>A connected client for <paramref name="identity"/>; the failure message quotes the broker's log.</summary>
    public static Task<IMqttClient> ConnectAsync(MosquittoBroker broker, string identity, string? clientId = null) =>
        ConnectAsync(BrokerEndpoint.Of(broker), identity, clientId);

    /// <summary>A connected client for <paramref name="identity"/> on any test broker.</summary>
    public static async Task<IMqttClient> ConnectAsync(BrokerEndpoint broker, string identity, string? clientId = null)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        try
        {
            MqttClientConnectResult result = await client.ConnectAsync(Options(broker, identity, clientId));
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"{identity} could not connect: {result.ResultCode} {result.ReasonString}\n{broker.Describe()}");
            }

            return client;
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            client.Dispose();
            throw new InvalidOperationException($"{identity} could not connect: {e.Message}\n{broker.Describe()}", e);
        }
    }
}
