using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Agent.Commands;
using EdgeVisor.Agent.Control;
using EdgeVisor.Agent.Hosting;
using EdgeVisor.Agent.Mqtt;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Firmware;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent;

/// <summary>
/// The whole agent in-process: the LiteDB store, the artifact store, the workload drivers (firmware and container),
/// the trust anchors, the reconciler, the MQTT link and the local control socket, wired together. Before the
/// reconciler's first pass every driver removes what a crashed earlier process left (containers, mounts, network
/// plumbing), so the workloads the reconciler starts again are the only ones. The systemd host runs one; the demo runs one beside its broker;
/// the benchmark runs 200 in one process (so nothing here is static or per-instance threaded).
/// <see cref="StartAsync"/> returns once everything runs, not once the broker is reached: workloads run with the
/// broker down.
/// </summary>
public sealed class AgentRuntime : IAsyncDisposable
{
    private readonly AgentOptions _options;
    private readonly AgentStore _store;
    private readonly HttpClient _http;
    private readonly HttpClient? _registryHttp;
    private readonly IReadOnlyList<IWorkloadDriver> _drivers;
    private readonly TrustAnchors _anchors;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Lock _gate = new();
    private AgentTelemetry? _telemetry;
    private ControlServer? _control;
    private Task _loop = Task.CompletedTask;
    private Task? _stopped;

    private AgentRuntime(AgentOptions options, AgentStore store, HttpClient http, HttpClient? registryHttp, IReadOnlyList<IWorkloadDriver> drivers, TrustAnchors anchors, MqttLink link, Reconciler reconciler, ILogger<AgentRuntime> logger)
    {
        _options = options;
        _store = store;
        _http = http;
        _registryHttp = registryHttp;
        _drivers = drivers;
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
    /// <param name="drivers">Workload drivers (default: the firmware driver and the container driver with <c>options.Containers</c>).</param>
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
            HttpClient? registryHttp = null;
            if (drivers is null)
            {
                registryHttp = RegistryClient.CreateHttpClient(options.Containers.Registries);
                disposables.Push(registryHttp);
                drivers = [new FirmwareDriver(loggers), new ContainerDriver(options.Containers, options.StateDirectory, registryHttp, loggers)];
            }

            var driverList = drivers.ToList();
            var link = new MqttLink(options, store, loggers);
            var reconciler = new Reconciler(options, store, artifacts, driverList, anchors, link, loggers.CreateLogger<Reconciler>());
            var runtime = new AgentRuntime(options, store, http, registryHttp, driverList, anchors, link, reconciler, loggers.CreateLogger<AgentRuntime>());
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
        _loop = CleanUpThenReconcileAsync(_stopping.Token);
        StartControlServer(loggers);
        var commands = new CommandDispatcher(_options.DeviceId, new Control(this), () => Link.ConnectedSince, TimeProvider.System, loggers.CreateLogger<CommandDispatcher>());
        Link.Start(Reconciler.SubmitDesired, commands);
        _telemetry = new AgentTelemetry(
            Link,
            () => Reconciler.Current.Workloads.Count(w => w.State == WorkloadState.Running),
            TimeSpan.FromSeconds(_options.TelemetrySeconds),
            TimeProvider.System,
            loggers.CreateLogger<AgentTelemetry>(),
            () => Reconciler.Current.Workloads);
        RuntimeLog.Started(_logger, _options.DeviceId, _options.StateDirectory);
    }

    /// <summary>
    /// Every driver's clean-up after a crash (one driver failing is logged: the others and the reconciler go on),
    /// then the reconcile loop. A stop during the clean-up still runs the loop, which then ends at once.
    /// </summary>
    private async Task CleanUpThenReconcileAsync(CancellationToken stopping)
    {
        foreach (var driver in _drivers)
        {
            try
            {
                await driver.CleanUpAfterCrashAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                RuntimeLog.CleanUpFailed(_logger, e, driver.Kind);
            }
        }

        await Reconciler.RunAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>The control socket of <c>edgevisor ps</c> and <c>edgevisor logs</c>; an agent that cannot bind it still runs its workloads.</summary>
    private void StartControlServer(ILoggerFactory loggers)
    {
        if (string.IsNullOrEmpty(_options.ControlSocket))
        {
            return;
        }

        var control = new ControlServer(_options.ControlSocket, Reconciler, loggers.CreateLogger<ControlServer>());
        try
        {
            control.Start();
            _control = control;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RuntimeLog.ControlSocketFailed(_logger, e, _options.ControlSocket);
            control.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task WhenFirstPassAsync()
    {
        // RunAsync faulting before its first pass also faults FirstPass; a stop before it cancels it.
        await Reconciler.FirstPass.ConfigureAwait(false);
    }

    private async Task StopOnceAsync(CancellationToken ct)
    {
        RuntimeLog.Stopping(_logger, _options.DeviceId);
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

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
            await DisposeDriversAsync().ConfigureAwait(false);
            await Link.DisposeAsync().ConfigureAwait(false);
            _store.Dispose();
            _http.Dispose();
            _registryHttp?.Dispose();
            _anchors.Dispose();
        }
    }

    /// <summary>Drivers that hold resources (the container driver's watchers) release them after the workloads stopped.</summary>
    private async Task DisposeDriversAsync()
    {
        foreach (var driver in _drivers)
        {
            switch (driver)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
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

/// <summary>The runtime's log lines (event ids 5300-5399; next free: 5305).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(5300, LogLevel.Information, "Agent {Device} started (state in {StateDirectory})")]
    public static partial void Started(ILogger logger, string device, string stateDirectory);

    [LoggerMessage(5301, LogLevel.Information, "Agent {Device} stopping: workloads, then the broker connection")]
    public static partial void Stopping(ILogger logger, string device);

    [LoggerMessage(5302, LogLevel.Warning, "reboot-agent: the agent stops now so its service manager starts it again")]
    public static partial void RestartRequested(ILogger logger);

    [LoggerMessage(5303, LogLevel.Error, "The {Kind} driver could not clean up after an earlier agent process; its workloads start anyway")]
    public static partial void CleanUpFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(5304, LogLevel.Error, "The control socket {Path} could not be opened: edgevisor ps and logs will not reach this agent")]
    public static partial void ControlSocketFailed(ILogger logger, Exception exception, string path);
}
