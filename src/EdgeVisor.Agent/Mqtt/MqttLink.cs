using System.Buffers;
using System.Threading.Channels;
using EdgeVisor.Agent.Commands;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// The device's MQTT 5 connection to its broker: keeps it up (reconnects with jittered backoff), says
/// <c>online</c>/<c>offline</c> on the retained status topic (the last will covers a lost connection), hands every
/// desired-state message to the reconciler, answers commands, and publishes what the reconciler reports through the
/// LiteDB <see cref="Outbox"/> in order. Workloads never wait for it: the agent runs with the broker down.
/// </summary>
public sealed class MqttLink : IReportSink, IAsyncDisposable
{
    private const int DrainBatch = 32;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopStepTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LogWindow = TimeSpan.FromMilliseconds(100);

    private readonly AgentOptions _options;
    private readonly string _deviceId;
    private readonly LinkClientOptions _clientOptions;
    private readonly IMqttClient _client;
    private readonly Outbox _outbox;
    private readonly LogBatcher _logs;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttLink> _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _reconnecting = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _commandsRunning = [];
    private readonly string _desiredTopic;
    private readonly string _commandPrefix;
    private Action<ReadOnlyMemory<byte>>? _desired;
    private CommandDispatcher? _commands;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _connectionLoop = Task.CompletedTask;
    private Task _drainLoop = Task.CompletedTask;
    private Task? _stopped;
    private volatile bool _connected;
    private DateTimeOffset? _connectedSince;
    private bool _subscribedBefore;

    /// <summary>Creates the link (nothing connects until <see cref="Start"/>); a bad TLS file throws here.</summary>
    public MqttLink(AgentOptions options, AgentStore store, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _deviceId = options.DeviceId;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<MqttLink>();
        _clientOptions = new LinkClientOptions(options);
        _outbox = new Outbox(store, _deviceId, options.OutboxMaxEntries, _time, loggers.CreateLogger<Outbox>());
        _logs = new LogBatcher(PublishLogsAsync, LogWindow, _time, _logger);
        _desiredTopic = DeviceTopics.Desired(_deviceId);
        _commandPrefix = DeviceTopics.Subtree(_deviceId) + "/commands/";
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>True while connected and subscribed.</summary>
    public bool IsConnected => _connected;

    /// <summary>When the current connection was made (null while disconnected).</summary>
    public DateTimeOffset? ConnectedSince => _connected ? _connectedSince : null;

    /// <summary>Messages waiting for the broker.</summary>
    public int OutboxLength => _outbox.Count;

    /// <summary>
    /// Starts connecting in the background. <paramref name="desired"/> gets every message on the desired topic, raw
    /// (an empty payload is a cleared retained message); <paramref name="commands"/> answers commands (null: none).
    /// </summary>
    public void Start(Action<ReadOnlyMemory<byte>> desired, CommandDispatcher? commands)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (_desired is not null)
        {
            throw new InvalidOperationException("the MQTT link is already started");
        }

        _desired = desired;
        _commands = commands;
        _connectionLoop = KeepConnectedAsync(_reconnecting.Token);
        _drainLoop = DrainWhenWokenAsync(_draining.Token);
    }

    /// <inheritdoc/>
    public void Report(ReportedState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _outbox.EnqueueReported(DeviceTopics.Reported(_deviceId), ProtocolJson.Serialize(state));
        Wake();
    }

    /// <inheritdoc/>
    public void Event(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _outbox.EnqueueEvent(record);
        Wake();
    }

    /// <inheritdoc/>
    public void Log(string workload, IReadOnlyList<string> lines)
    {
        if (_connected)
        {
            _logs.Add(workload, lines);
        }
    }

    /// <summary>Queues one telemetry sample of <paramref name="stream"/>.</summary>
    public void Telemetry(string stream, IReadOnlyDictionary<string, double> values)
    {
        byte[] payload = ProtocolJson.Serialize(new TelemetryRecord
        {
            DeviceId = _deviceId,
            Stream = stream,
            Timestamp = _time.GetUtcNow(),
            Values = values,
        });
        _outbox.EnqueueTelemetry(DeviceTopics.Telemetry(_deviceId, stream), payload);
        Wake();
    }

    /// <summary>
    /// Graceful stop: stops reconnecting, lets queued messages out (briefly), publishes the retained <c>offline</c>
    /// status (a clean DISCONNECT does not fire the last will) and disconnects. Idempotent.
    /// </summary>
    public Task StopAsync(CancellationToken cancellation)
    {
        lock (_gate)
        {
            _stopped ??= StopOnceAsync(cancellation);
            return _stopped;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.Dispose();
        _reconnecting.Dispose();
        _draining.Dispose();
    }

    private async Task StopOnceAsync(CancellationToken cancellation)
    {
        await _reconnecting.CancelAsync().ConfigureAwait(false);
        await _draining.CancelAsync().ConfigureAwait(false);
        await _connectionLoop.ConfigureAwait(false);
        await _drainLoop.ConfigureAwait(false);
        Task[] commands;
        lock (_gate)
        {
            commands = [.. _commandsRunning];
        }

        try
        {
            await Task.WhenAll(commands).WaitAsync(StopStepTimeout, _time, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} commands still running after {Seconds} s; stopping without their replies", commands.Length, StopStepTimeout.TotalSeconds);
        }

        await _logs.DisposeAsync().ConfigureAwait(false);
        if (!_client.IsConnected)
        {
            _connected = false;
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(StopStepTimeout);
        try
        {
            await DrainAsync(deadline.Token).ConfigureAwait(false);
            await PublishAsync(DeviceTopics.Status(_deviceId), StatusPayload(DeviceStates.Offline), retain: true, deadline.Token).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), deadline.Token).ConfigureAwait(false);
            LinkLog.Disconnected(_logger, _outbox.Count);
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException)
        {
            // The broker publishes the last will (offline) when the connection is dropped without DISCONNECT.
            _logger.LogWarning("Could not say offline before stopping ({Error}); the broker's last will says it", e.Message);
        }
        finally
        {
            _connected = false;
        }
    }

    private async Task KeepConnectedAsync(CancellationToken stopping)
    {
        var backoff = new ReconnectBackoff(_options.Broker.ReconnectInitialSeconds, _options.Broker.ReconnectMaxSeconds);
        string endpoint = $"{_options.Broker.Host}:{_clientOptions.Port}";
        string? lastFailure = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                bool sessionPresent = await ConnectAsync(stopping).ConfigureAwait(false);
                backoff.Reset();
                lastFailure = null;
                LinkLog.Connected(_logger, endpoint, _deviceId, sessionPresent, _outbox.Count);
                Wake();
                await _disconnected.Task.WaitAsync(stopping).ConfigureAwait(false);
                _logger.LogWarning("Lost the connection to {Broker}: {Reason}; reconnecting", endpoint, DisconnectReason);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _connected = false;
                string failure = Describe(e);
                if (e.GetBaseException() is System.Security.Authentication.AuthenticationException && _clientOptions.CertificateProblem is { } certificate)
                {
                    failure = $"TLS: {certificate}";
                }

                if (failure != lastFailure)
                {
                    _logger.LogWarning("Cannot connect to {Broker}: {Error}; retrying with backoff up to {Max} s", endpoint, failure, _options.Broker.ReconnectMaxSeconds);
                    lastFailure = failure;
                }
                else
                {
                    LinkLog.StillCannotConnect(_logger, endpoint, failure);
                }

                if (_client.IsConnected)
                {
                    await DisconnectQuietlyAsync().ConfigureAwait(false);
                }
            }

            try
            {
                await Task.Delay(backoff.Next(), _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private string DisconnectReason { get; set; } = "";

    /// <summary>Connects, says online, (re)subscribes. Returns whether the broker kept the session.</summary>
    private async Task<bool> ConnectAsync(CancellationToken stopping)
    {
        var since = _time.GetUtcNow();
        _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await _client.ConnectAsync(_clientOptions.Build(since), stopping).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttCommunicationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd());
        }

        _connectedSince = since;
        await PublishAsync(DeviceTopics.Status(_deviceId), StatusPayload(DeviceStates.Online), retain: true, stopping).ConfigureAwait(false);

        // The retained desired document is wanted at the first subscription of this process (the store may be older
        // than the broker's copy); later re-subscriptions only need it when the broker lost the session.
        var retained = _subscribedBefore ? MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly : MqttRetainHandling.SendAtSubscribe;
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_desiredTopic, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, retained)
            .WithTopicFilter(DeviceTopics.AllCommands(_deviceId), MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, MqttRetainHandling.DoNotSendOnSubscribe)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscribe, stopping).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
        {
            if ((int)item.ResultCode >= 0x80)
            {
                throw new MqttCommunicationException($"the broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}");
            }
        }

        _subscribedBefore = true;
        _connected = true;
        return result.IsSessionPresent;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        _connected = false;
        DisconnectReason = e.Exception is { } error ? Describe(error) : $"{e.Reason} {e.ReasonString}".TrimEnd();
        _disconnected.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            LinkLog.DroppingHalfOpen(_logger, e.Message);
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task DrainWhenWokenAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await _wake.Reader.ReadAsync(stopping).ConfigureAwait(false);
                await DrainAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Publishes the outbox in order while connected; an entry leaves the outbox only once the broker acknowledged it.</summary>
    private async Task DrainAsync(CancellationToken cancellation)
    {
        while (_connected)
        {
            var batch = _outbox.Peek(DrainBatch);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var entry in batch)
            {
                MqttClientPublishResult result;
                try
                {
                    result = await PublishAsync(entry.Topic, entry.Payload, entry.Retain, cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MqttCommunicationException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
                {
                    // Connection trouble: the entry stays; the reconnect wakes the drain again.
                    LinkLog.OutboxPaused(_logger, entry.Id, e.Message);
                    if (_client.IsConnected && e is OperationCanceledException)
                    {
                        await DisconnectQuietlyAsync().ConfigureAwait(false);
                    }

                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not a connection problem (e.g. larger than the broker accepts): retrying cannot help.
                    _logger.LogError("Dropped outbox entry {Id} ({Kind} on {Topic}): {Error}", entry.Id, entry.Kind, entry.Topic, e.Message);
                    _outbox.Remove(entry.Id);
                    continue;
                }

                if ((int)result.ReasonCode >= 0x80)
                {
                    _logger.LogError("The broker refused {Kind} on {Topic}: {Reason} {Detail}; dropped it", entry.Kind, entry.Topic, result.ReasonCode, result.ReasonString);
                }

                _outbox.Remove(entry.Id);
            }
        }
    }

    private async Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellation, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, string? responseTopic = null, byte[]? correlation = null)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain)
            .WithContentType("application/json");
        if (correlation is not null)
        {
            builder.WithCorrelationData(correlation);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(PublishTimeout);
        return await _client.PublishAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
    }

    private Task PublishLogsAsync(string workload, IReadOnlyList<string> lines, CancellationToken cancellation)
    {
        if (!_connected)
        {
            return Task.CompletedTask;
        }

        byte[] payload = ProtocolJson.Serialize(new LogRecord
        {
            DeviceId = _deviceId,
            Workload = workload,
            Timestamp = _time.GetUtcNow(),
            Lines = lines,
        });
        return PublishAsync(DeviceTopics.Logs(_deviceId, workload), payload, retain: false, cancellation, MqttQualityOfServiceLevel.AtMostOnce);
    }

    private byte[] StatusPayload(string state) => ProtocolJson.Serialize(new DeviceStatus
    {
        DeviceId = _deviceId,
        State = state,
        AgentVersion = AgentVersion.Current,
        Since = _connectedSince ?? _time.GetUtcNow(),
    });

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Topic == _desiredTopic)
        {
            try
            {
                _desired?.Invoke(message.Payload.ToArray());
            }
            catch (Exception error)
            {
                // The reconciler records bad documents itself; this is a bug, but it must not stop the link.
                _logger.LogError(error, "The reconciler failed to take a desired-state message");
            }
        }
        else if (message.Topic.StartsWith(_commandPrefix, StringComparison.Ordinal))
        {
            StartCommand(message.Topic[_commandPrefix.Length..], message);
        }
        else
        {
            LinkLog.IgnoredMessage(_logger, message.Topic);
        }

        return Task.CompletedTask;
    }

    /// <summary>Commands run beside the receive loop (a restart may take seconds); the reply goes to the request's response topic.</summary>
    private void StartCommand(string name, MqttApplicationMessage request)
    {
        string? replyTo = request.ResponseTopic;
        if (string.IsNullOrEmpty(replyTo))
        {
            _logger.LogWarning("Ignored command {Command}: no response topic", name);
            return;
        }

        if (!IsReplyTopic(replyTo))
        {
            _logger.LogWarning("Ignored command {Command}: response topic {Topic} is not under {Subtree}/replies/ (the broker would refuse the reply)", name, replyTo, DeviceTopics.Subtree(_deviceId));
            return;
        }

        if (_commands is null)
        {
            _logger.LogWarning("Ignored command {Command}: this agent answers no commands", name);
            return;
        }

        byte[] payload = request.Payload.ToArray();
        byte[]? correlation = request.CorrelationData;
        var task = RunCommandAsync(_commands, name, payload, replyTo, correlation, _reconnecting.Token);
        lock (_gate)
        {
            _commandsRunning.Add(task);
        }

        task.ContinueWith(
            finished =>
            {
                lock (_gate)
                {
                    _commandsRunning.Remove(finished);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task RunCommandAsync(CommandDispatcher commands, string name, byte[] payload, string replyTo, byte[]? correlation, CancellationToken cancellation)
    {
        await Task.Yield();
        try
        {
            var outcome = await commands.DispatchAsync(name, payload, cancellation).ConfigureAwait(false);
            await PublishAsync(replyTo, ProtocolJson.Serialize(outcome.Response), retain: false, cancellation, responseTopic: null, correlation: correlation).ConfigureAwait(false);
            outcome.AfterReply?.Invoke();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            LinkLog.CommandAbandoned(_logger, name);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Command {Command} failed", name);
        }
    }

    private bool IsReplyTopic(string topic) =>
        DeviceTopics.TryParse(topic, out string device, out string rest)
        && device == _deviceId
        && rest.StartsWith("replies/", StringComparison.Ordinal)
        && Names.IsValid(rest["replies/".Length..]);

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is MqttCommunicationException)
        {
            inner = inner.InnerException;
        }

        return inner == e || inner.Message == e.Message ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
