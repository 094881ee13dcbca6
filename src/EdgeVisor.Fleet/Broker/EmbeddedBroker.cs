using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeVisor.Fleet.Broker;

/// <summary>
/// The single-site MQTT 5 broker (MQTTnet's server) that <c>edgevisor fleet broker</c> and <c>edgevisor demo</c>
/// run: the per-device ACL of <see cref="TopicAccessPolicy"/> (refused publishes get PUBACK NotAuthorized,
/// refused subscriptions SUBACK NotAuthorized), persistent sessions, optional TLS with client certificates, and
/// retained messages kept in a file across restarts when a data directory is given.
/// </summary>
/// <remarks>
/// Trust model: with TLS and a client CA, a client is who its certificate says (CN). Without TLS a client is
/// who its user name says: devices must present their id, and controllers a password when
/// <see cref="EmbeddedBrokerOptions.ControllerPassword"/> is set. Without either, anybody who can reach the port can
/// claim any identity — fine for the default loopback-only demo, not for a LAN.
/// </remarks>
public sealed partial class EmbeddedBroker : IAsyncDisposable
{
    private const string IdentityKey = "edgevisor.identity";

    private readonly EmbeddedBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly MqttServer _server;
    private readonly BrokerTls? _tls;
    private readonly RetainedMessageFile? _retainedFile;
    private readonly List<MqttApplicationMessage> _loadedRetained;
    private readonly SemaphoreSlim _retainedChanged = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _snapshotLock = new();
    private IReadOnlyList<MqttApplicationMessage>? _pendingSnapshot;
    private Task _flusher = Task.CompletedTask;
    private int _stopped;

    private EmbeddedBroker(EmbeddedBrokerOptions options, int port, BrokerTls? tls, RetainedMessageFile? retainedFile, List<MqttApplicationMessage> loadedRetained, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _tls = tls;
        _retainedFile = retainedFile;
        _loadedRetained = loadedRetained;
        Port = port;

        var builder = new MqttServerFactory().CreateServerOptionsBuilder().WithPersistentSessions(true);
        if (tls is null)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(options.BindAddress).WithDefaultEndpointPort(port);
        }
        else
        {
            builder.WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(options.BindAddress)
                .WithEncryptedEndpointPort(port)
                .WithEncryptionCertificate(tls.ServerCertificate);
        }

        var serverOptions = builder.Build();
        if (tls is not null)
        {
            serverOptions.TlsEndpointOptions.ClientCertificateRequired = tls.RequiresClientCertificates;
            serverOptions.TlsEndpointOptions.RemoteCertificateValidationCallback = tls.ValidateClientCertificate;
        }

        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientConnectedAsync += OnClientConnectedAsync;
        _server.ClientDisconnectedAsync += OnClientDisconnectedAsync;
        _server.LoadingRetainedMessageAsync += OnLoadingRetainedAsync;
        _server.RetainedMessageChangedAsync += OnRetainedChangedAsync;
        _server.RetainedMessagesClearedAsync += OnRetainedClearedAsync;
    }

    /// <summary>The port the broker listens on (the chosen one when the options said 0).</summary>
    public int Port { get; }

    /// <summary>The address clients use, as <c>host:port</c>.</summary>
    public string Endpoint => $"{(_options.BindAddress.Equals(IPAddress.Any) ? IPAddress.Loopback : _options.BindAddress)}:{Port}";

    public bool UsesTls => _tls is not null;

    /// <summary>The server itself, for tests and tools that need to look at sessions or retained messages.</summary>
    internal MqttServer Server => _server;

    /// <summary>
    /// Starts listening. Throws <see cref="BrokerConfigurationException"/> naming the problem when a TLS file,
    /// the retained-message file or the port cannot be used.
    /// </summary>
    public static async Task<EmbeddedBroker> StartAsync(EmbeddedBrokerOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        if (options.TlsCertificateFile is null != (options.TlsKeyFile is null))
        {
            throw new BrokerConfigurationException("TLS needs both a certificate file and a key file");
        }

        if (options.ClientCaFile is not null && options.TlsCertificateFile is null)
        {
            throw new BrokerConfigurationException("a client CA needs TLS (a server certificate and key)");
        }

        RetainedMessageFile? retainedFile = null;
        List<MqttApplicationMessage> loaded = [];
        if (options.DataDirectory is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                retainedFile = new RetainedMessageFile(Path.Combine(directory, "retained.json"));
                loaded = await retainedFile.LoadAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
            {
                throw new BrokerConfigurationException($"data directory {directory}: {e.Message}", e);
            }
        }

        var tls = options.TlsCertificateFile is { } certificate
            ? BrokerTls.Load(certificate, options.TlsKeyFile!, options.ClientCaFile)
            : null;
        int port = options.Port == 0 ? FreePort(options.BindAddress) : options.Port;
        var broker = new EmbeddedBroker(options, port, tls, retainedFile, loaded, logger);
        try
        {
            await broker._server.StartAsync().ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw new BrokerConfigurationException($"cannot listen on {options.BindAddress}:{port}: {e.Message}", e);
        }

        broker._flusher = broker.FlushRetainedLoopAsync(broker._stopping.Token);
        Log.Started(logger, broker.Endpoint, tls is null ? "plain TCP" : tls.RequiresClientCertificates ? "TLS, client certificates required" : "TLS", loaded.Count);
        return broker;
    }

    /// <summary>Disconnects every client, stops listening and writes the retained messages one last time.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (_server.IsStarted)
            {
                await _server.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            try
            {
                await _flusher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The flusher ends by cancellation; the final write below covers what it had not written.
            }

            await FlushRetainedAsync(CancellationToken.None).ConfigureAwait(false);
            Log.Stopped(_logger, Endpoint);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
        _tls?.Dispose();
        _retainedChanged.Dispose();
        _stopping.Dispose();
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        string? name = args.ClientCertificate is { } certificate
            ? certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)
            : args.UserName;
        var identity = ClientIdentity.FromName(name);
        if (identity is null)
        {
            args.ReasonCode = string.IsNullOrEmpty(name) ? MqttConnectReasonCode.BadUserNameOrPassword : MqttConnectReasonCode.NotAuthorized;
            args.ReasonString = string.IsNullOrEmpty(name)
                ? "present your device id as the user name (or a client certificate)"
                : $"'{name}' is neither a device id nor a controller name";
            Log.ConnectionRefused(_logger, args.ClientId, args.RemoteEndPoint?.ToString() ?? "?", args.ReasonString);
            return Task.CompletedTask;
        }

        if (identity.Role == ClientRole.Controller && args.ClientCertificate is null && _options.ControllerPassword is { } expected
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(args.Password ?? ""), Encoding.UTF8.GetBytes(expected)))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            args.ReasonString = "wrong controller password";
            Log.ConnectionRefused(_logger, args.ClientId, args.RemoteEndPoint?.ToString() ?? "?", args.ReasonString);
            return Task.CompletedTask;
        }

        args.SessionItems[IdentityKey] = identity;
        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        string topic = args.ApplicationMessage.Topic;
        if (string.IsNullOrEmpty(args.ClientId) && args.SessionItems is null)
        {
            return Task.CompletedTask; // injected by this process (tests, tools), not by a client
        }

        var identity = args.SessionItems?[IdentityKey] as ClientIdentity;
        if (identity is not null && TopicAccessPolicy.CanPublish(identity, topic))
        {
            return Task.CompletedTask;
        }

        args.ProcessPublish = false;
        args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        args.Response.ReasonString = $"{identity?.ToString() ?? "this client"} may not publish to {topic}";
        Log.PublishRefused(_logger, args.ClientId ?? "", identity?.ToString() ?? "unknown client", topic);
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        string filter = args.TopicFilter.Topic;
        var identity = args.SessionItems?[IdentityKey] as ClientIdentity;
        if (identity is not null && TopicAccessPolicy.CanSubscribe(identity, filter))
        {
            return Task.CompletedTask;
        }

        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        args.Response.ReasonString = $"{identity?.ToString() ?? "this client"} may not subscribe to {filter}";
        Log.SubscriptionRefused(_logger, args.ClientId ?? "", identity?.ToString() ?? "unknown client", filter);
        return Task.CompletedTask;
    }

    private Task OnClientConnectedAsync(ClientConnectedEventArgs args)
    {
        string who = (args.SessionItems[IdentityKey] as ClientIdentity)?.ToString() ?? "?";
        Log.ClientConnected(_logger, args.ClientId, who, args.RemoteEndPoint?.ToString() ?? "?");
        return Task.CompletedTask;
    }

    private Task OnClientDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        Log.ClientDisconnected(_logger, args.ClientId, args.DisconnectType.ToString().ToLowerInvariant());
        return Task.CompletedTask;
    }

    private Task OnLoadingRetainedAsync(LoadingRetainedMessagesEventArgs args)
    {
        args.LoadedRetainedMessages = _loadedRetained;
        return Task.CompletedTask;
    }

    private Task OnRetainedChangedAsync(RetainedMessageChangedEventArgs args)
    {
        QueueSnapshot(args.StoredRetainedMessages.ToList());
        return Task.CompletedTask;
    }

    private Task OnRetainedClearedAsync(EventArgs args)
    {
        QueueSnapshot([]);
        return Task.CompletedTask;
    }

    private void QueueSnapshot(IReadOnlyList<MqttApplicationMessage> snapshot)
    {
        if (_retainedFile is null)
        {
            return;
        }

        lock (_snapshotLock)
        {
            _pendingSnapshot = snapshot;
        }

        _retainedChanged.Release();
    }

    /// <summary>Writes the newest snapshot at most once per flush interval: a burst of 200 reports costs one write.</summary>
    private async Task FlushRetainedLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await _retainedChanged.WaitAsync(stopping).ConfigureAwait(false);
            await Task.Delay(_options.RetainedFlushInterval, stopping).ConfigureAwait(false);
            await FlushRetainedAsync(stopping).ConfigureAwait(false);
        }
    }

    private async Task FlushRetainedAsync(CancellationToken ct)
    {
        IReadOnlyList<MqttApplicationMessage>? snapshot;
        lock (_snapshotLock)
        {
            snapshot = _pendingSnapshot;
            _pendingSnapshot = null;
        }

        if (snapshot is null || _retainedFile is null)
        {
            return;
        }

        try
        {
            await _retainedFile.SaveAsync(snapshot, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The broker keeps serving from memory; the operator must learn the file is stale.
            Log.RetainedWriteFailed(_logger, _retainedFile.Path, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "broker listening on {Endpoint} ({Transport}); {Retained} retained messages restored")]
        public static partial void Started(ILogger logger, string endpoint, string transport, int retained);

        [LoggerMessage(101, LogLevel.Information, "broker on {Endpoint} stopped")]
        public static partial void Stopped(ILogger logger, string endpoint);

        [LoggerMessage(102, LogLevel.Information, "{ClientId} connected as {Identity} from {Remote}")]
        public static partial void ClientConnected(ILogger logger, string clientId, string identity, string remote);

        [LoggerMessage(103, LogLevel.Information, "{ClientId} disconnected ({How})")]
        public static partial void ClientDisconnected(ILogger logger, string clientId, string how);

        [LoggerMessage(104, LogLevel.Warning, "refused connection of {ClientId} from {Remote}: {Reason}")]
        public static partial void ConnectionRefused(ILogger logger, string clientId, string remote, string reason);

        [LoggerMessage(105, LogLevel.Warning, "refused publish by {ClientId} ({Identity}) to {Topic}")]
        public static partial void PublishRefused(ILogger logger, string clientId, string identity, string topic);

        [LoggerMessage(106, LogLevel.Warning, "refused subscription of {ClientId} ({Identity}) to {Filter}")]
        public static partial void SubscriptionRefused(ILogger logger, string clientId, string identity, string filter);

        [LoggerMessage(107, LogLevel.Error, "could not write retained messages to {Path}: {Reason}")]
        public static partial void RetainedWriteFailed(ILogger logger, string path, string reason);
    }
}
