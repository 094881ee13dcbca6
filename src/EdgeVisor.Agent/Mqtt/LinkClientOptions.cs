using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// The MQTT 5 connection a device keeps: client id = device id, a persistent session (clean start off, session expiry
/// from options) so QoS 1 subscriptions and messages queued by the broker survive reconnects, a retained QoS 1 last
/// will saying <c>offline</c>, TLS against the configured CA with an optional client certificate, credentials.
/// TLS material is loaded once (a bad file is an options error at start, not a reconnect loop).
/// </summary>
public sealed class LinkClientOptions
{
    private readonly AgentOptions _options;
    private readonly BrokerCertificateValidator? _validator;
    private readonly X509Certificate2Collection? _clientCertificates;

    public LinkClientOptions(AgentOptions options)
    {
        _options = options;
        var broker = options.Broker;
        if (broker.UseTls && broker.CaFile is { } caFile)
        {
            _validator = BrokerCertificateValidator.FromPemFile(caFile);
        }

        if (broker.UseTls && broker.CertificateFile is { } certificateFile)
        {
            _clientCertificates = [X509Certificate2.CreateFromPemFile(certificateFile, broker.KeyFile)];
        }
    }

    /// <summary>Why the broker's certificate was last refused (null: it was not).</summary>
    public string? CertificateProblem => _validator?.LastFailure;

    /// <summary>The port actually used: the configured one, else 8883 with TLS and 1883 without.</summary>
    public int Port => _options.Broker.Port != 0 ? _options.Broker.Port : BrokerPorts.Default(_options.Broker.UseTls);

    /// <summary>Options for one connection attempt; <paramref name="since"/> is the connect time the last will carries.</summary>
    public MqttClientOptions Build(DateTimeOffset since)
    {
        var broker = _options.Broker;
        byte[] will = ProtocolJson.Serialize(new DeviceStatus
        {
            DeviceId = _options.DeviceId,
            State = DeviceStates.Offline,
            AgentVersion = AgentVersion.Current,
            Since = since,
        });
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_options.DeviceId)
            .WithTcpServer(broker.Host, Port)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(broker.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(broker.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(broker.ConnectTimeoutSeconds))
            .WithWillTopic(DeviceTopics.Status(_options.DeviceId))
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(broker.Username))
        {
            builder.WithCredentials(broker.Username, broker.Password ?? "");
        }

        if (broker.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls(true).WithTargetHost(broker.Host);
                if (_validator is { } validator)
                {
                    tls.WithCertificateValidationHandler(e => validator.Validate(e.Certificate, e.Chain, e.SslPolicyErrors));
                }

                if (_clientCertificates is { } certificates)
                {
                    tls.WithClientCertificates(certificates);
                }
            });
        }

        return builder.Build();
    }
}
