using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVisor.Fleet.Tests.Support;

/// <summary>
/// A plain MQTTnet 5 client standing in for a device (or any other client) in broker tests: connects with a user
/// name and/or a client certificate, and collects what it receives so a test can wait for a message.
/// </summary>
public sealed class TestDevice : IAsyncDisposable
{
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();

    private TestDevice(IMqttClient client)
    {
        Client = client;
        Client.ApplicationMessageReceivedAsync += args =>
        {
            _received.Writer.TryWrite(args.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    public static async Task<TestDevice> ConnectAsync(int port, string? userName, string? password = null, Action<MqttClientTlsOptionsBuilder>? tls = null, string? clientId = null, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? userName ?? "anonymous-" + Guid.NewGuid().ToString("N")[..6])
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (userName is not null)
        {
            builder.WithCredentials(userName, password);
        }

        if (tls is not null)
        {
            builder.WithTlsOptions(tls);
        }

        configure?.Invoke(builder);
        var result = await client.ConnectAsync(builder.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"connect refused: {result.ResultCode} {result.ReasonString}");
        }

        return new TestDevice(client);
    }

    /// <summary>Connects and returns the broker's CONNACK code instead of throwing (for refusal tests).</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(int port, string? userName, string? password = null, Action<MqttClientTlsOptionsBuilder>? tls = null)
    {
        try
        {
            await using var device = await ConnectAsync(port, userName, password, tls);
            return MqttClientConnectResultCode.Success;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("connect refused: ", StringComparison.Ordinal))
        {
            return Enum.Parse<MqttClientConnectResultCode>(e.Message["connect refused: ".Length..].Split(' ')[0]);
        }
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, byte[] payload, bool retain = false)
    {
        var result = await Client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build());
        return result.ReasonCode;
    }

    /// <summary>The next message on <paramref name="topic"/> (skipping others), or a failure naming what did arrive.</summary>
    public async Task<MqttApplicationMessage> NextAsync(string topic, TimeSpan? timeout = null)
    {
        var seen = new List<string>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(deadline.Token);
                if (message.Topic == topic)
                {
                    return message;
                }

                seen.Add(message.Topic);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message on {topic}; received only: [{string.Join(", ", seen)}]");
        }
    }

    /// <summary>Everything received within <paramref name="window"/> (for asserting that nothing arrives).</summary>
    public async Task<IReadOnlyList<string>> TopicsWithinAsync(TimeSpan window)
    {
        var topics = new List<string>();
        using var deadline = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                topics.Add((await _received.Reader.ReadAsync(deadline.Token)).Topic);
            }
        }
        catch (OperationCanceledException)
        {
            return topics;
        }
    }

    public static byte[] PayloadOf(MqttApplicationMessage message) => message.Payload.ToArray();

    public static Action<MqttClientTlsOptionsBuilder> Tls(X509Certificate2 ca, X509Certificate2? clientCertificate) => tls =>
    {
        tls.UseTls(true).WithTargetHost("localhost").WithTrustChain([ca]);
        tls.WithCertificateValidationHandler(_ => true);
        if (clientCertificate is not null)
        {
            tls.WithClientCertificates([clientCertificate]);
        }
    };

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            await Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }

        Client.Dispose();
    }
}
