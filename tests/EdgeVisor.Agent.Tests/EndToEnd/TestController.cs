using System.Security.Cryptography;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// A controller written for the tests with MQTTnet and EdgeVisor.Protocol only (not the fleet code, which has
/// its own tests): signs and publishes desired states, watches devices' reported state, events and status. It
/// keeps a persistent session and reconnects by itself, so events a device sends while the controller was cut off
/// by a broker restart still arrive.
/// </summary>
public sealed class TestController : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ECDsa _signingKey;
    private readonly List<string> _filters = [];
    private readonly CancellationTokenSource _disposing = new();

    private TestController(IMqttClient client, MqttClientOptions options, ECDsa signingKey, BrokerEndpoint broker)
    {
        _client = client;
        _options = options;
        _signingKey = signingKey;
        Broker = broker;
        Messages = new ReceivedMessages(client);
        _client.DisconnectedAsync += async _ => await ReconnectAsync();
    }

    public BrokerEndpoint Broker { get; }

    /// <summary>Everything received, in arrival order.</summary>
    public ReceivedMessages Messages { get; }

    /// <summary>Connects as <c>controller</c>; <paramref name="signingKey"/> signs every <see cref="DeployAsync"/>.</summary>
    public static async Task<TestController> ConnectAsync(BrokerEndpoint broker, ECDsa signingKey)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = MqttTestClients.Options(broker, "controller", $"controller-test-{Guid.NewGuid():N}"[..32], cleanStart: false);
        var controller = new TestController(client, options, signingKey, broker);
        MqttClientConnectResult result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the test controller could not connect: {result.ResultCode}\n{broker.Describe()}");
        }

        return controller;
    }

    /// <summary>Subscribes to <paramref name="deviceId"/>'s reported state, events and status (before its agent starts, to see everything).</summary>
    public async Task WatchAsync(string deviceId)
    {
        string[] filters = [DeviceTopics.Reported(deviceId), DeviceTopics.Events(deviceId), DeviceTopics.Status(deviceId)];
        _filters.AddRange(filters);
        await SubscribeAsync(filters);
    }

    /// <summary>Subscribes to <paramref name="deviceId"/>'s workload console lines and telemetry streams too.</summary>
    public async Task WatchLogsAndTelemetryAsync(string deviceId)
    {
        string[] filters = [DeviceTopics.Subtree(deviceId) + "/logs/+", DeviceTopics.Subtree(deviceId) + "/telemetry/+"];
        _filters.AddRange(filters);
        await SubscribeAsync(filters);
    }

    /// <summary>Every console line of <paramref name="workload"/> on <paramref name="deviceId"/> received on the logs topic, in order.</summary>
    public IReadOnlyList<string> LogLines(string deviceId, string workload) =>
        [.. Messages.On(DeviceTopics.Logs(deviceId, workload)).SelectMany(m => ProtocolJson.Parse<LogRecord>(m.Payload).Lines)];

    /// <summary>Every sample of <paramref name="deviceId"/>'s telemetry stream <paramref name="stream"/>, oldest first.</summary>
    public IReadOnlyList<TelemetryRecord> Telemetry(string deviceId, string stream) =>
        [.. Messages.On(DeviceTopics.Telemetry(deviceId, stream)).Select(m => ProtocolJson.Parse<TelemetryRecord>(m.Payload))];

    /// <summary>Signs <paramref name="state"/> and publishes it retained on its device's desired topic.</summary>
    public Task DeployAsync(DesiredState state) =>
        PublishDesiredAsync(state.DeviceId, ProtocolJson.Serialize(DeploymentSignature.Sign(state, _signingKey)));

    /// <summary>Publishes <paramref name="payload"/> as it is, retained, on <paramref name="deviceId"/>'s desired topic.</summary>
    public async Task PublishDesiredAsync(string deviceId, byte[] payload)
    {
        MqttClientPublishResult result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.Desired(deviceId))
            .WithPayload(payload)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused the controller's desired state for {deviceId}: {result.ReasonCode}\n{Broker.Describe()}");
        }
    }

    /// <summary>Every reported state of <paramref name="deviceId"/> received so far, oldest first.</summary>
    public IReadOnlyList<ReportedState> Reports(string deviceId) =>
        [.. Messages.On(DeviceTopics.Reported(deviceId)).Where(m => m.Payload.Length > 0).Select(m => ProtocolJson.Parse<ReportedState>(m.Payload))];

    /// <summary>Every event of <paramref name="deviceId"/> received so far, in arrival order (duplicates included).</summary>
    public IReadOnlyList<EventRecord> Events(string deviceId) =>
        [.. Messages.On(DeviceTopics.Events(deviceId)).Select(m => ProtocolJson.Parse<EventRecord>(m.Payload))];

    /// <summary>Waits for a reported state of <paramref name="deviceId"/> that satisfies <paramref name="condition"/>.</summary>
    public Task<ReportedState> WaitForReportedAsync(string deviceId, Func<ReportedState, bool> condition, TimeSpan timeout, string what, Func<string>? context = null) =>
        Messages.WaitForAsync(_ => Reports(deviceId).LastOrDefault(condition), timeout, $"{deviceId} to report {what}", context);

    /// <summary>Waits for the latest reported state of <paramref name="deviceId"/> to satisfy <paramref name="condition"/>.</summary>
    public Task<ReportedState> WaitForLatestReportedAsync(string deviceId, Func<ReportedState, bool> condition, TimeSpan timeout, string what, Func<string>? context = null) =>
        Messages.WaitForAsync(_ => Reports(deviceId) is [.., var latest] && condition(latest) ? latest : null, timeout, $"{deviceId}'s latest report to show {what}", context);

    /// <summary>Waits for an event of <paramref name="deviceId"/> that satisfies <paramref name="condition"/>.</summary>
    public Task<EventRecord> WaitForEventAsync(string deviceId, Func<EventRecord, bool> condition, TimeSpan timeout, string what, Func<string>? context = null) =>
        Messages.WaitForAsync(_ => Events(deviceId).FirstOrDefault(condition), timeout, $"{deviceId} to send the event {what}", context);

    /// <summary>
    /// The retained reported state as a controller connecting now would get it (a fresh client and subscription),
    /// or null if none arrives within <paramref name="timeout"/>.
    /// </summary>
    public async Task<ReportedState?> FetchRetainedReportedAsync(string deviceId, TimeSpan timeout)
    {
        using IMqttClient client = await MqttTestClients.ConnectAsync(Broker, "controller");
        var seen = new ReceivedMessages(client);
        await client.SubscribeAsync(DeviceTopics.Reported(deviceId), MqttQualityOfServiceLevel.AtLeastOnce);
        try
        {
            ReceivedMessage retained = await seen.WaitForMessageAsync(DeviceTopics.Reported(deviceId), m => m.Retained && m.Payload.Length > 0, timeout, "the retained reported state");
            return ProtocolJson.Parse<ReportedState>(retained.Payload);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        if (_client.IsConnected)
        {
            // Ends the session too (expiry 0 on disconnect), so the broker keeps nothing for this test controller.
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(0).Build());
        }

        _client.Dispose();
        _disposing.Dispose();
    }

    private async Task SubscribeAsync(IEnumerable<string> filters)
    {
        var options = new MqttClientSubscribeOptionsBuilder();
        foreach (string filter in filters)
        {
            options.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        MqttClientSubscribeResult result = await _client.SubscribeAsync(options.Build());
        MqttClientSubscribeResultItem? refused = result.Items.FirstOrDefault(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2);
        if (refused is not null)
        {
            throw new InvalidOperationException($"the broker refused the controller's subscription to {refused.TopicFilter.Topic}: {refused.ResultCode}\n{Broker.Describe()}");
        }
    }

    /// <summary>After a broker restart: tries again every 100 ms until connected or disposed; resubscribes if the session was lost.</summary>
    private async Task ReconnectAsync()
    {
        while (!_disposing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(100, _disposing.Token);
                MqttClientConnectResult result = await _client.ConnectAsync(_options, _disposing.Token);
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    if (!result.IsSessionPresent && _filters.Count > 0)
                    {
                        await SubscribeAsync(_filters);
                    }

                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                // broker still down: try again
            }
        }
    }
}
