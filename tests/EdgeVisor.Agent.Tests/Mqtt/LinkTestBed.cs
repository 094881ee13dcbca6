using EdgeVisor.Agent.Mqtt;
using EdgeVisor.Agent.State;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>
/// One MQTT link under test: its own state directory and LiteDB store, options pointing at a real mosquitto (or a
/// <see cref="TcpCutter"/> in front of it), fast reconnects, captured logs. Desired messages are recorded.
/// </summary>
public sealed class LinkTestBed : IAsyncDisposable
{
    public LinkTestBed(string deviceId, string host, int port, Action<BrokerOptions>? broker = null, int outboxMaxEntries = 10_000)
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-link-" + Guid.NewGuid().ToString("N")[..12]);
        Options = new AgentOptions
        {
            DeviceId = deviceId,
            StateDirectory = StateDirectory,
            OutboxMaxEntries = outboxMaxEntries,
            Broker = new BrokerOptions
            {
                Host = host,
                Port = port,
                ReconnectInitialSeconds = 0.2,
                ReconnectMaxSeconds = 1,
                KeepAliveSeconds = 5,
                ConnectTimeoutSeconds = 5,
            },
        };
        broker?.Invoke(Options.Broker);
        Store = AgentStore.Open(StateDirectory);
        Link = new MqttLink(Options, Store, Logs);
    }

    public string StateDirectory { get; }

    public AgentOptions Options { get; }

    public AgentStore Store { get; private set; }

    public MqttLink Link { get; private set; }

    public CapturedLogs Logs { get; } = new();

    public List<byte[]> Desired { get; } = [];

    public string DeviceId => Options.DeviceId;

    /// <summary>Starts the link (optionally answering commands).</summary>
    public void Start(EdgeVisor.Agent.Commands.CommandDispatcher? commands = null) => Link.Start(
        payload =>
        {
            lock (Desired)
            {
                Desired.Add(payload.ToArray());
            }
        },
        commands);

    /// <summary>Waits until the link says it is connected.</summary>
    public async Task WaitConnectedAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!Link.IsConnected)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the link did not connect within {timeout.TotalSeconds} s; logged:\n{Logs.Text}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The agent process ends and starts again on the same state directory. Call it while the broker is down: then the
    /// old link can publish nothing on its way out, which is exactly what a SIGKILL before publishing leaves.
    /// </summary>
    public async Task RestartWhileTheBrokerIsDownAsync()
    {
        await Link.DisposeAsync();
        Store.Dispose();
        Store = AgentStore.Open(StateDirectory);
        Link = new MqttLink(Options, Store, Logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Link.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    /// <summary>A controller-side observer with a persistent session (it gets what was published while it was away).</summary>
    public static async Task<(IMqttClient Client, ReceivedMessages Seen)> ObserveAsync(MosquittoBroker broker, string clientId, params string[] topics)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var seen = new ReceivedMessages(client);
        await ConnectObserverAsync(client, broker, clientId);
        foreach (string topic in topics)
        {
            await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return (client, seen);
    }

    /// <summary>(Re)connects an observer to its persistent session.</summary>
    public static async Task ConnectObserverAsync(IMqttClient client, MosquittoBroker broker, string clientId)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials("controller")
            .WithCleanStart(false)
            .WithSessionExpiryInterval(300)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        await client.ConnectAsync(options);
    }

    /// <summary>Parses a status payload.</summary>
    public static DeviceStatus Status(ReceivedMessage message) => ProtocolJson.Parse<DeviceStatus>(message.Payload);
}
