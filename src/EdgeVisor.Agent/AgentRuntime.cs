using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Agent.Commands;
using EdgeVisor.Agent.Hosting;
using EdgeVisor.Agent.Mqtt;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;
using EdgeVisor.Workloads.Firmware;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent;

/// <summary>
/// The whole agent in-process: the LiteDB store, the artifact store, the workload drivers, the trust anchors, the
/// reconciler and the MQTT link, wired together. The systemd host runs one; the demo runs one beside its broker;
/// the benchmark runs 200 in one process (so nothing here is static or per-instance threaded).
/// <see cref="StartAsync"/> returns once everything runs, not once the broker is reached: workloads run with the
/// broker down.
/// </summary>
public sealed class AgentRuntime : IAsyncDisposable
{
    private readonly AgentOptions _options;
    private readonly AgentStore _store;
    private readonly HttpClient _http;
    private readonly TrustAnchors _anchors;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Lock _gate = new();
    private AgentTelemetry? _telemetry;
    private Task _loop = Task.CompletedTask;
    private Task? _stopped;

    private AgentRuntime(AgentOptions options, AgentStore store, HttpClient http, TrustAnchors anchors, MqttLink link, Reconciler reconciler, ILogger<AgentRuntime> logger)
    {
        _options = options;
        _store = store;
        _http = http;
        _anchors = anchors;
        Link = link;
        Reconciler = reconciler;
        _logger = logger;
        Ready = WhenFirstPassAsync();
    }

    /// <summary>The reconciler (the only writer of workload state).</summary>
    public Reconciler Reconciler { get; }

    /// <summary>The MQTT link (status, outbox, commands).</summary>
    public MqttLink Link { get; }

    /// <summary>Completes after the reconciler's first pass (systemd READY=1 follows it); faults if the reconciler dies first.</summary>
    public Task Ready { get; }

    /// <summary>Completes when a <c>reboot-agent</c> command asks the process to restart (the host exits with 75).</summary>
    public Task StopRequested => _stopRequested.Task;

    /// <summary>
    /// Opens the store in <c>options.StateDirectory</c>, starts the reconciler and then the link, and returns.
    /// Options are expected to be validated (<see cref="AgentOptionsValidator"/>); a bad trusted key still throws
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming it.
    /// </summary>
    /// <param name="options">The agent's configuration.</param>
    /// <param name="loggers">Where every part logs.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <param name="drivers">Workload drivers (default: the firmware driver).</param>
    public static Task<AgentRuntime> StartAsync(AgentOptions options, ILoggerFactory loggers, CancellationToken ct, IEnumerable<IWorkloadDriver>? drivers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        ct.ThrowIfCancellationRequested();
        var anchors = TrustedKeys.Load(options.TrustedKeys);
        var disposables = new Stack<IDisposable>([anchors]);
        try
        {
            var store = AgentStore.Open(options.StateDirectory);
            disposables.Push(store);
            var http = CreateHttpClient(options.Artifacts);
            disposables.Push(http);
            var artifacts = new ArtifactStore(Path.Combine(options.StateDirectory, "artifacts"), store, options.Artifacts, http, loggers.CreateLogger<ArtifactStore>());
            var link = new MqttLink(options, store, loggers);
            var reconciler = new Reconciler(options, store, artifacts, drivers ?? [new FirmwareDriver(loggers)], anchors, link, loggers.CreateLogger<Reconciler>());
            var runtime = new AgentRuntime(options, store, http, anchors, link, reconciler, loggers.CreateLogger<AgentRuntime>());
            runtime.Run(loggers);
            return Task.FromResult(runtime);
        }
        catch
        {
            while (disposables.TryPop(out var disposable))
            {
                disposable.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Graceful stop: workloads in reverse start order, then the reconcile loop, then the link (queued reports, the
    /// <c>offline</c> status, DISCONNECT), then the store. Idempotent.
    /// </summary>
    public Task StopAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            _stopped ??= StopOnceAsync(ct);
            return _stopped;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static HttpClient CreateHttpClient(ArtifactOptions options)
    {
        // Per agent, not shared: 200 agents in one process each have their own; the artifact store applies the
        // download timeout per transfer, the handler bounds connecting and idle connections.
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.DownloadTimeoutSeconds) };
    }

    private void Run(ILoggerFactory loggers)
    {
        _loop = Reconciler.RunAsync(_stopping.Token);
        var commands = new CommandDispatcher(_options.DeviceId, new Control(this), () => Link.ConnectedSince, TimeProvider.System, loggers.CreateLogger<CommandDispatcher>());
        Link.Start(Reconciler.SubmitDesired, commands);
        _telemetry = new AgentTelemetry(
            Link,
            () => Reconciler.Current.Workloads.Count(w => w.State == WorkloadState.Running),
            TimeSpan.FromSeconds(_options.TelemetrySeconds),
            TimeProvider.System,
            loggers.CreateLogger<AgentTelemetry>());
        RuntimeLog.Started(_logger, _options.DeviceId, _options.StateDirectory);
    }

    private async Task WhenFirstPassAsync()
    {
        // RunAsync faulting before its first pass also faults FirstPass; a stop before it cancels it.
        await Reconciler.FirstPass.ConfigureAwait(false);
    }

    private async Task StopOnceAsync(CancellationToken ct)
    {
        RuntimeLog.Stopping(_logger, _options.DeviceId);
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Reconciler.StopWorkloadsAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Already logged by the reconciler; the stop goes on so the link can still say offline.
                _logger.LogError("The reconcile loop had failed: {Error}", e.Message);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }

            await Link.StopAsync(ct).ConfigureAwait(false);
            await Reconciler.DisposeAsync().ConfigureAwait(false);
            await Link.DisposeAsync().ConfigureAwait(false);
            _store.Dispose();
            _http.Dispose();
            _anchors.Dispose();
        }
    }

    /// <summary>What commands may do, forwarded to the reconciler (kept off the runtime's public surface).</summary>
    private sealed class Control(AgentRuntime runtime) : IAgentControl
    {
        public Task<string?> RestartWorkloadAsync(string workload, CancellationToken cancellation) =>
            runtime.Reconciler.RestartWorkloadAsync(workload, cancellation);

        public IReadOnlyList<string>? Logs(string workload, int lines) => runtime.Reconciler.Logs(workload, lines);

        public void RequestRestart()
        {
            RuntimeLog.RestartRequested(runtime._logger);
            runtime._stopRequested.TrySetResult();
        }
    }
}

/// <summary>The runtime's log lines (event ids 5300-5399; next free: 5303).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(5300, LogLevel.Information, "Agent {Device} started (state in {StateDirectory})")]
    public static partial void Started(ILogger logger, string device, string stateDirectory);

    [LoggerMessage(5301, LogLevel.Information, "Agent {Device} stopping: workloads, then the broker connection")]
    public static partial void Stopping(ILogger logger, string device);

    [LoggerMessage(5302, LogLevel.Warning, "reboot-agent: the agent stops now so its service manager starts it again")]
    public static partial void RestartRequested(ILogger logger);
}
