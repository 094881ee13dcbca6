using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeVisor.Fleet.Client;

/// <summary>
/// A controller's connection to the broker: deploys signed desired states, reads what devices report and their
/// online status, sends commands (MQTT 5 request/response) and follows reported state and console logs.
/// </summary>
public sealed class FleetClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly FleetConnectionOptions _options;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandResponse>> _pendingCommands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pendingBarriers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Subscription> _subscriptions = new();
    private long _nextSubscription;

    private FleetClient(IMqttClient client, FleetConnectionOptions options)
    {
        _client = client;
        _options = options;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public string ControllerId => _options.ControllerId;

    /// <summary><c>host:port</c> of the broker.</summary>
    public string Endpoint => _options.Endpoint;

    private string BarrierTopic => $"edgevisor/v1/controllers/{_options.ControllerId}/sync";

    /// <summary>
    /// Connects as controller <see cref="FleetConnectionOptions.ControllerId"/>. Throws <see cref="FleetException"/>:
    /// <see cref="FleetErrorKind.BrokerUnavailable"/> ("cannot reach broker at host:port: reason") or
    /// <see cref="FleetErrorKind.NotAuthorized"/>.
    /// </summary>
    public static async Task<FleetClient> ConnectAsync(FleetConnectionOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Names.CheckDeviceId(options.ControllerId);
        var mqtt = new MqttClientFactory().CreateMqttClient();
        var client = new FleetClient(mqtt, options);
        try
        {
            await client.ConnectAsync(ct).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The desired state currently retained for a device (unverified: the controller reads its own publications), or null.</summary>
    public async Task<DesiredState?> ReadDesiredAsync(string deviceId, CancellationToken ct = default)
    {
        var retained = await ReadRetainedAsync(DeviceTopics.Desired(deviceId), ct).ConfigureAwait(false);
        if (!retained.TryGetValue(DeviceTopics.Desired(deviceId), out byte[]? payload) || payload.Length == 0)
        {
            return null;
        }

        try
        {
            var envelope = ProtocolJson.Parse<SignedDocument>(payload);
            return ProtocolJson.Parse<DesiredState>(Convert.FromBase64String(envelope.Payload));
        }
        catch (Exception e) when (e is ProtocolException or FormatException)
        {
            return null; // not a document this controller could have written; the next deploy replaces it
        }
    }

    /// <summary>Signs <paramref name="state"/> and publishes it retained (QoS 1) on the device's desired topic.</summary>
    public async Task<SignedDocument> DeployAsync(string deviceId, DesiredState state, ECDsa key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.DeviceId != deviceId)
        {
            throw new ArgumentException($"the document is for device '{state.DeviceId}', not '{deviceId}'", nameof(state));
        }

        var signed = DeploymentSignature.Sign(state, key);
        await PublishAsync(DeviceTopics.Desired(deviceId), ProtocolJson.Serialize(signed), retain: true, ct).ConfigureAwait(false);
        return signed;
    }

    /// <summary>Publishes raw bytes retained on a device's desired topic (tests and tools: tampered or empty documents).</summary>
    public Task PublishDesiredRawAsync(string deviceId, byte[] payload, CancellationToken ct = default) =>
        PublishAsync(DeviceTopics.Desired(deviceId), payload, retain: true, ct);

    /// <summary>The device's last retained reported state, or null when it never reported.</summary>
    public async Task<ReportedState?> ReadReportedAsync(string deviceId, CancellationToken ct = default)
    {
        var retained = await ReadRetainedAsync(DeviceTopics.Reported(deviceId), ct).ConfigureAwait(false);
        return retained.TryGetValue(DeviceTopics.Reported(deviceId), out byte[]? payload) ? TryParse<ReportedState>(payload) : null;
    }

    /// <summary>Every device that has a retained status or reported state, sorted by id.</summary>
    public async Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken ct = default)
    {
        var statuses = await ReadRetainedAsync(DeviceTopics.AllStatus, ct).ConfigureAwait(false);
        var reports = await ReadRetainedAsync(DeviceTopics.AllReported, ct).ConfigureAwait(false);
        var devices = new SortedDictionary<string, DeviceSummary>(StringComparer.Ordinal);
        foreach (var (topic, payload) in statuses)
        {
            if (DeviceTopics.TryParse(topic, out string id, out _))
            {
                devices[id] = new DeviceSummary(id, TryParse<DeviceStatus>(payload), null);
            }
        }

        foreach (var (topic, payload) in reports)
        {
            if (DeviceTopics.TryParse(topic, out string id, out _))
            {
                var reported = TryParse<ReportedState>(payload);
                devices[id] = devices.TryGetValue(id, out var known) ? known with { Reported = reported } : new DeviceSummary(id, null, reported);
            }
        }

        return [.. devices.Values];
    }

    /// <summary>Calls <paramref name="onReport"/> with every reported state of a device (the retained one first) until disposed.</summary>
    public Task<IAsyncDisposable> WatchReportedAsync(string deviceId, Action<ReportedState> onReport, CancellationToken ct = default) =>
        SubscribeAsync(DeviceTopics.Reported(deviceId), message =>
        {
            if (TryParse<ReportedState>(message.Payload) is { } report)
            {
                onReport(report);
            }
        }, ct);

    /// <summary>Calls <paramref name="onStatus"/> with a device's online/offline status (the retained one first) until disposed.</summary>
    public Task<IAsyncDisposable> WatchStatusAsync(string deviceId, Action<DeviceStatus> onStatus, CancellationToken ct = default) =>
        SubscribeAsync(DeviceTopics.Status(deviceId), message =>
        {
            if (TryParse<DeviceStatus>(message.Payload) is { } status)
            {
                onStatus(status);
            }
        }, ct);

    /// <summary>Calls <paramref name="onEvent"/> with every event a device publishes from now on until disposed.</summary>
    public Task<IAsyncDisposable> WatchEventsAsync(string deviceId, Action<EventRecord> onEvent, CancellationToken ct = default) =>
        SubscribeAsync(DeviceTopics.Events(deviceId), message =>
        {
            if (TryParse<EventRecord>(message.Payload) is { } record)
            {
                onEvent(record);
            }
        }, ct);

    /// <summary>Calls <paramref name="onLines"/> with the console lines of every workload of a device until disposed.</summary>
    public Task<IAsyncDisposable> StreamLogsAsync(string deviceId, Action<LogRecord> onLines, CancellationToken ct = default) =>
        SubscribeAsync(DeviceTopics.Logs(deviceId, "+"), message =>
        {
            if (TryParse<LogRecord>(message.Payload) is { } record)
            {
                onLines(record);
            }
        }, ct);

    /// <summary>
    /// Sends command <paramref name="name"/> to a device and waits for its reply (matched by correlation data).
    /// A device that does not answer within <paramref name="timeout"/> is a <see cref="FleetErrorKind.Timeout"/>.
    /// </summary>
    public async Task<CommandResponse> SendCommandAsync(string deviceId, string name, IReadOnlyDictionary<string, string>? arguments, TimeSpan timeout, CancellationToken ct = default)
    {
        if (!Names.IsValid(name))
        {
            throw new ArgumentException($"command name '{name}' is not valid", nameof(name));
        }

        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        string key = Convert.ToHexString(correlation);
        var reply = new TaskCompletionSource<CommandResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingCommands[key] = reply;
        try
        {
            var request = new CommandRequest { Arguments = arguments ?? new Dictionary<string, string>() };
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(DeviceTopics.Command(deviceId, name))
                .WithPayload(ProtocolJson.Serialize(request))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithResponseTopic(DeviceTopics.Replies(deviceId, _options.ControllerId))
                .WithCorrelationData(correlation)
                .Build();
            await PublishAsync(message, ct).ConfigureAwait(false);
            try
            {
                return await reply.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new FleetException(FleetErrorKind.Timeout, $"device {deviceId} did not answer '{name}' within {timeout.TotalSeconds:0.#}s (is it online?)", e);
            }
        }
        finally
        {
            _pendingCommands.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// What the broker retains under <paramref name="filter"/> right now, by topic. Ends when a barrier message
    /// this controller publishes after subscribing comes back: the broker sends retained messages before it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadRetainedAsync(string filter, CancellationToken ct = default)
    {
        var found = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using (await SubscribeAsync(filter, message => found[message.Topic] = message.Payload.ToArray(), ct).ConfigureAwait(false))
        {
            string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingBarriers[token] = arrived;
            try
            {
                var barrier = new MqttApplicationMessageBuilder()
                    .WithTopic(BarrierTopic)
                    .WithPayload(token)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await PublishAsync(barrier, ct).ConfigureAwait(false);
                try
                {
                    await arrived.Task.WaitAsync(_options.RetainedReadTimeout, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A broker that drops the barrier still delivered its retained messages long before this.
                }
            }
            finally
            {
                _pendingBarriers.TryRemove(token, out _);
            }
        }

        // An empty retained message is a cleared one, not a value.
        return found.Where(pair => pair.Value.Length > 0).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MqttCommunicationException)
            {
                // The connection is going away either way.
            }
        }

        _client.Dispose();
        foreach (var pending in _pendingCommands.Values)
        {
            pending.TrySetCanceled();
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.EffectivePort)
            .WithClientId(_options.ControllerId)
            .WithCredentials(_options.UserName, _options.Password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(_options.ConnectTimeout);
        if (_options.UseTls)
        {
            builder.WithTlsOptions(ConfigureTls);
        }

        MqttClientConnectResult result;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            result = await _client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (MqttConnectingFailedException e)
        {
            throw new FleetException(FleetErrorKind.NotAuthorized, $"broker at {Endpoint} refused controller '{_options.UserName}': {Innermost(e)}", e);
        }
        catch (Exception e) when (e is MqttCommunicationException or SocketException or IOException or AuthenticationException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            string reason = e is OperationCanceledException ? $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#}s" : Innermost(e);
            throw new FleetException(FleetErrorKind.BrokerUnavailable, $"cannot reach broker at {Endpoint}: {reason}", e);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new FleetException(FleetErrorKind.NotAuthorized, $"broker at {Endpoint} refused controller '{_options.UserName}': {result.ResultCode}{(result.ReasonString is { Length: > 0 } why ? $" ({why})" : "")}");
        }

        await SubscribeOrThrowAsync(BarrierTopic, ct).ConfigureAwait(false);
        await SubscribeOrThrowAsync($"{DeviceTopics.Root}/+/replies/{_options.ControllerId}", ct).ConfigureAwait(false);
    }

    private void ConfigureTls(MqttClientTlsOptionsBuilder tls)
    {
        tls.UseTls(true).WithTargetHost(_options.Host);
        if (_options.CaFile is { } caFile)
        {
            var cas = new X509Certificate2Collection();
            cas.ImportFromPemFile(caFile);
            tls.WithCertificateValidationHandler(args => ValidateBroker(args, cas));
        }

        if (_options.CertificateFile is { } certificateFile)
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, _options.KeyFile ?? certificateFile);
            tls.WithClientCertificates([certificate]);
        }
    }

    /// <summary>The broker's certificate must chain to exactly the given CA and name the host we dialled.</summary>
    private static bool ValidateBroker(MqttClientCertificateValidationEventArgs args, X509Certificate2Collection cas)
    {
        if (args.Certificate is null || (args.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        return FleetCaTrust.ChainsTo(args.Certificate, cas, args.Chain, out _);
    }

    private async Task SubscribeOrThrowAsync(string filter, CancellationToken ct)
    {
        var result = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct).ConfigureAwait(false);
        var code = result.Items.First().ResultCode;
        if (code > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            throw new FleetException(FleetErrorKind.NotAuthorized, $"broker at {Endpoint} refused subscription to {filter}: {code}");
        }
    }

    private async Task<IAsyncDisposable> SubscribeAsync(string filter, Action<MqttApplicationMessage> handler, CancellationToken ct)
    {
        long id = Interlocked.Increment(ref _nextSubscription);
        var subscription = new Subscription(this, id, filter, handler);
        _subscriptions[id] = subscription;
        try
        {
            await SubscribeOrThrowAsync(filter, ct).ConfigureAwait(false);
        }
        catch
        {
            _subscriptions.TryRemove(id, out _);
            throw;
        }

        return subscription;
    }

    private async Task UnsubscribeAsync(Subscription subscription)
    {
        _subscriptions.TryRemove(subscription.Id, out _);
        // Another local handler may share the filter; keep the broker subscription for it.
        if (_client.IsConnected && !_subscriptions.Values.Any(other => other.Filter == subscription.Filter))
        {
            await _client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(subscription.Filter).Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        await PublishAsync(message, ct).ConfigureAwait(false);
    }

    private async Task PublishAsync(MqttApplicationMessage message, CancellationToken ct)
    {
        MqttClientPublishResult result;
        try
        {
            result = await _client.PublishAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or SocketException or IOException)
        {
            throw new FleetException(FleetErrorKind.BrokerUnavailable, $"lost the broker at {Endpoint}: {Innermost(e)}", e);
        }

        // Codes below 0x80 are successes; "no matching subscribers" (0x10) is normal for a retained document.
        if ((int)result.ReasonCode >= 0x80)
        {
            throw new FleetException(FleetErrorKind.NotAuthorized, $"broker at {Endpoint} refused the publish to {message.Topic}: {result.ReasonCode}{(result.ReasonString is { Length: > 0 } why ? $" ({why})" : "")}");
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (message.Topic == BarrierTopic)
        {
            if (_pendingBarriers.TryGetValue(message.ConvertPayloadToString(), out var barrier))
            {
                barrier.TrySetResult();
            }

            return Task.CompletedTask;
        }

        if (message.CorrelationData is { Length: > 0 } correlation && message.Topic.EndsWith("/replies/" + _options.ControllerId, StringComparison.Ordinal))
        {
            if (_pendingCommands.TryGetValue(Convert.ToHexString(correlation), out var pending))
            {
                try
                {
                    pending.TrySetResult(ProtocolJson.Parse<CommandResponse>(message.Payload.ToArray()));
                }
                catch (ProtocolException e)
                {
                    pending.TrySetResult(new CommandResponse { Ok = false, Error = $"the device's reply is not a command response: {e.Message}" });
                }
            }

            return Task.CompletedTask;
        }

        foreach (var subscription in _subscriptions.Values)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, subscription.Filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                subscription.Handler(message);
            }
        }

        return Task.CompletedTask;
    }

    private static T? TryParse<T>(ReadOnlySequence<byte> payload)
        where T : class => TryParse<T>(payload.ToArray());

    private static T? TryParse<T>(byte[] payload)
        where T : class
    {
        if (payload.Length == 0)
        {
            return null;
        }

        try
        {
            return ProtocolJson.Parse<T>(payload);
        }
        catch (ProtocolException)
        {
            return null; // a device running a newer schema, or garbage: shown as unknown, never a crash
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.TrimEnd('.');
    }

    private sealed class Subscription(FleetClient owner, long id, string filter, Action<MqttApplicationMessage> handler) : IAsyncDisposable
    {
        public long Id { get; } = id;

        public string Filter { get; } = filter;

        public Action<MqttApplicationMessage> Handler { get; } = handler;

        public async ValueTask DisposeAsync() => await owner.UnsubscribeAsync(this).ConfigureAwait(false);
    }
}
