using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Threading.Channels;
using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// Moves the device to its desired state and keeps it there: the only writer of workload state. One loop
/// (<see cref="RunAsync"/>) owns everything mutable; the MQTT side only queues work to it
/// (<see cref="SubmitDesired"/>, <see cref="RestartWorkloadAsync"/>) and reads snapshots
/// (<see cref="Current"/>, <see cref="Logs"/>).
/// <para>
/// Per changed workload the loop runs the journaled steps of <see cref="RolloutSteps"/> (fetch → verify → stage →
/// stop-old → start-new → health-check); downloads run in the background so a slow network never stalls the loop
/// (the systemd watchdog watches <see cref="LastLoop"/>). A failed step is retried with backoff when the error is
/// transient and held until a newer desired version when it is permanent. An update whose new generation fails to
/// start or fails its health check is rolled back to the previous generation if that one was running: the
/// workload reports <c>running</c> again with the reason "rolled back: …", a <c>workload-state</c> error event
/// says why the new version failed, and the version's <c>deployment-applied</c> event is a warning naming the
/// rollback.
/// </para>
/// </summary>
public sealed partial class Reconciler : IAsyncDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    private readonly AgentOptions _options;
    private readonly ArtifactStore _artifacts;
    private readonly IReadOnlyDictionary<string, IWorkloadDriver> _drivers;
    private readonly IReportSink _sink;
    private readonly ILogger<Reconciler> _logger;
    private readonly TimeProvider _time;
    private readonly DeploymentGate _gate;
    private readonly DesiredDocuments _desiredDocuments;
    private readonly WorkloadRecords _records;
    private readonly ReconcileJournal _journal;
    private readonly WorkloadStaging _staging;
    private readonly string _agentVersion;
    private readonly Channel<LoopMessage> _inbox = Channel.CreateUnbounded<LoopMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, WorkloadSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkloadLog> _logs = new(StringComparer.Ordinal);
    private FrozenSet<string> _knownWorkloads = FrozenSet<string>.Empty;
    private StoredDesired? _desired;
    private Dictionary<string, string> _desiredHashes = new(StringComparer.Ordinal);
    private Rejection? _lastRejection;
    private long? _appliedVersion;
    private byte[]? _lastRejectedRaw;
    private ReportedState _current;
    private long _lastLoopTicks;
    private bool _dirty;
    private bool _shuttingDown;
    private volatile bool _loopEnded;

    /// <summary>Creates the reconciler; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="options">The agent's options (device id, state directory, reconcile timing, KillAt).</param>
    /// <param name="store">The agent's LiteDB store (desired, workloads and journal collections are the reconciler's).</param>
    /// <param name="artifacts">Where artifacts are fetched and verified.</param>
    /// <param name="drivers">One driver per workload kind this agent runs.</param>
    /// <param name="anchors">The keys deployments must be signed with.</param>
    /// <param name="sink">Where reported state, events and console lines go (the MQTT link).</param>
    /// <param name="logger">The agent's log.</param>
    /// <param name="time">The clock (tests may pass a fake one); the system clock when null.</param>
    public Reconciler(AgentOptions options, AgentStore store, ArtifactStore artifacts, IEnumerable<IWorkloadDriver> drivers, TrustAnchors anchors, IReportSink sink, ILogger<Reconciler> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(drivers);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _artifacts = artifacts;
        _drivers = drivers.ToDictionary(d => d.Kind, StringComparer.Ordinal);
        _sink = sink;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _gate = new DeploymentGate(options.DeviceId, anchors, options.MaxDocumentBytes, _drivers);
        _desiredDocuments = new DesiredDocuments(store, _time);
        _records = new WorkloadRecords(store);
        _journal = new ReconcileJournal(store, _time);
        _staging = new WorkloadStaging(options.StateDirectory);
        _agentVersion = typeof(Reconciler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        _current = new ReportedState { DeviceId = options.DeviceId, AgentVersion = _agentVersion, Timestamp = _time.GetUtcNow() };
        _lastLoopTicks = _time.GetUtcNow().UtcTicks;
    }

    /// <summary>Completes after the first reconcile pass on start (success or recorded failure); downloads from the network do not delay it.</summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>The device's state as last reported.</summary>
    public ReportedState Current => Volatile.Read(ref _current);

    /// <summary>The loop's heartbeat: updated at least every 5 s while the loop is alive (for the systemd watchdog).</summary>
    public DateTimeOffset LastLoop => new(Interlocked.Read(ref _lastLoopTicks), TimeSpan.Zero);

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Hands a message from the desired topic to the loop (raw bytes; empty = the retained message was cleared).
    /// Quick and thread-safe: verification and everything after it happen on the loop.
    /// </summary>
    public void SubmitDesired(ReadOnlyMemory<byte> payload)
    {
        // A huge message is refused by size alone: no need to keep a copy of it in the queue.
        LoopMessage message = payload.Length > _options.MaxDocumentBytes
            ? new OversizedDesired(payload.Length)
            : new DesiredMessage(payload.ToArray());
        _inbox.Writer.TryWrite(message);
    }

    /// <summary>Stops and starts a workload's running generation; null when done, else one line saying why not.</summary>
    public async Task<string?> RestartWorkloadAsync(string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_loopEnded)
        {
            return "the agent is stopping";
        }

        var reply = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.Writer.TryWrite(new RestartRequest(name, reply));
        return await reply.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The last <paramref name="lines"/> console lines of a workload, oldest first; null when there is no such workload.</summary>
    public IReadOnlyList<string>? Logs(string workload, int lines)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (_logs.TryGetValue(workload, out var log))
        {
            return log.Tail(Math.Max(0, lines));
        }

        return Volatile.Read(ref _knownWorkloads).Contains(workload) ? ConsoleLogFiles.Tail(_staging.LogDirectory(workload), lines) : null;
    }

    /// <summary>
    /// Recovers from the journal and the workload records (nothing runs after a start: in-process workloads died
    /// with the previous process), then reconciles until <paramref name="stopping"/>. It never stops workloads on
    /// its way out: the host calls <see cref="StopWorkloadsAsync"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await _lock.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                Beat();
                await RecoverAsync(stopping).ConfigureAwait(false);
                await AdvanceAsync(stopping).ConfigureAwait(false);
                Settle();
            }
            finally
            {
                _lock.Release();
            }

            while (true)
            {
                await WaitForWorkAsync(stopping).ConfigureAwait(false);
                Beat();
                await _lock.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    while (_inbox.Reader.TryRead(out var message))
                    {
                        await HandleAsync(message, stopping).ConfigureAwait(false);
                    }

                    await AdvanceAsync(stopping).ConfigureAwait(false);
                    Settle();
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host is stopping; the journal lets the next start pick up whatever was in progress.
        }
        catch (Exception e)
        {
            ReconcilerLog.LoopError(_logger, e, "the loop");
            _firstPass.TrySetException(e);
            throw;
        }
        finally
        {
            _loopEnded = true;
            _firstPass.TrySetCanceled(stopping.IsCancellationRequested ? stopping : CancellationToken.None);
            await _lifetime.CancelAsync().ConfigureAwait(false);
            while (_inbox.Reader.TryRead(out var message))
            {
                (message as RestartRequest)?.Reply.TrySetResult("the agent is stopping");
                (message as LiveRequest)?.Reply.TrySetResult(Current);
            }
        }
    }

    /// <summary>
    /// Stops every running workload gracefully (reverse start order, <c>Reconcile.StopGraceSeconds</c> each) for
    /// an agent shutdown. Records keep their state: the workloads start again on the next agent start.
    /// </summary>
    public async Task StopWorkloadsAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _shuttingDown = true;
            var running = Ordered().Where(s => s.Instance is not null).Reverse().ToList();
            ReconcilerLog.StoppingAll(_logger, running.Count);
            foreach (var slot in _slots.Values)
            {
                slot.Rollout?.CancelFetch();
                slot.RestartDue = null;
                slot.HealthDue = null;
            }

            foreach (var slot in running)
            {
                await StopInstanceAsync(slot, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Stops whatever still runs (without waiting longer than the stop grace each) and releases the logs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_slots.Values.Any(s => s.Instance is not null))
        {
            await StopWorkloadsAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }

        _logs.Clear();
        _lifetime.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// Test seam: called at every fault point after <see cref="FaultPoints.Hit"/> (which kills the process only
    /// when <c>KillAt</c> names the point); tests use it to stop the loop exactly there without killing the test run.
    /// </summary>
    internal Action<string>? FaultHook { get; set; }

    private void Fault(string point)
    {
        FaultPoints.Hit(_options.KillAt, point);
        FaultHook?.Invoke(point);
    }

    private void Beat() => Interlocked.Exchange(ref _lastLoopTicks, Now.UtcTicks);

    private IEnumerable<WorkloadSlot> Ordered() => _slots.Values.OrderBy(s => s.Record.Order).ThenBy(s => s.Name, StringComparer.Ordinal);

    /// <summary>Waits for a message, the next timer of a slot, or the heartbeat, whichever comes first.</summary>
    private async Task WaitForWorkAsync(CancellationToken stopping)
    {
        var now = Now;
        var delay = Heartbeat;
        if (!_shuttingDown && NextDue(now) is { } due && due - now < delay)
        {
            delay = due - now;
        }

        using var timeout = new CancellationTokenSource(delay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            await _inbox.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // The timer: something is due, or it is time for a heartbeat.
        }

        stopping.ThrowIfCancellationRequested();
    }

    // Only future times: a step that is due but waits for an earlier workload is woken by that one's progress.
    private DateTimeOffset? NextDue(DateTimeOffset now) =>
        _slots.Values
            .SelectMany(s => new[] { s.Rollout is { Fetching: null } r ? r.DueAt : null, s.RestartDue, s.HealthDue, s.Instance is null ? null : _resourcesDue })
            .Where(t => t > now)
            .Min();

    private async Task HandleAsync(LoopMessage message, CancellationToken ct)
    {
        if (_shuttingDown)
        {
            (message as RestartRequest)?.Reply.TrySetResult("the agent is stopping");
            (message as LiveRequest)?.Reply.TrySetResult(Current);
            return;
        }

        try
        {
            switch (message)
            {
                case DesiredMessage desired:
                    HandleDesired(desired.Payload);
                    break;
                case OversizedDesired oversized:
                    Reject(GateDecision.Reject(RejectionReason.TooLarge, $"{oversized.Length} bytes is more than the {_options.MaxDocumentBytes} this device accepts", null, null), raw: null);
                    break;
                case FetchDone fetched:
                    HandleFetchDone(fetched);
                    break;
                case ExitMessage exited:
                    await HandleExitAsync(exited, ct).ConfigureAwait(false);
                    break;
                case RestartRequest restart:
                    restart.Reply.TrySetResult(await RestartOnRequestAsync(restart.Workload, ct).ConfigureAwait(false));
                    break;
                case LiveRequest live:
                    live.Reply.TrySetResult(BuildLiveReport());
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ReconcilerLog.LoopError(_logger, e, message.GetType().Name);
            (message as RestartRequest)?.Reply.TrySetResult($"the agent failed: {e.Message}");
            (message as LiveRequest)?.Reply.TrySetResult(Current);
        }
    }

    /// <summary>Completes FirstPass when the first pass is done, reports a finished deployment, publishes the report.</summary>
    private void Settle()
    {
        var now = Now;
        if (!_firstPass.Task.IsCompleted && !_slots.Values.Any(s => BusyForFirstPass(s)))
        {
            _firstPass.TrySetResult();
        }

        if (_desired is { } desired && !_slots.Values.Any(s => s.Rollout is not null) && _appliedVersion != desired.State.Version && !_shuttingDown)
        {
            DeploymentApplied(desired.State);
        }

        if (_preparedGarbageDue && !_shuttingDown)
        {
            CollectPreparedGarbage();
        }

        RefreshResources();
        if (_dirty)
        {
            _dirty = false;
            var report = ReportBuilder.Build(_options.DeviceId, _agentVersion, _desired?.State, _desiredHashes, _lastRejection, _slots.Values, now);
            Volatile.Write(ref _current, report);
            ToSink(() => _sink.Report(report), "a report");
        }

        // A pass is busy while a local fetch, a start or a health window is in progress; waiting for the network or a
        // retry is not part of it.
        static bool BusyForFirstPass(WorkloadSlot slot) =>
            slot.HealthDue is not null
            || slot.Rollout is { Kind: RolloutKind.Deploy } r && (r.NextStep == RolloutSteps.HealthCheck || (r.Fetching is not null && r.FetchIsLocal));
    }

    private void UpdateKnownWorkloads() => Volatile.Write(ref _knownWorkloads, _slots.Keys.ToFrozenSet(StringComparer.Ordinal));

    private void ToSink(Action publish, string what)
    {
        try
        {
            publish();
        }
        catch (Exception e)
        {
            ReconcilerLog.SinkFailed(_logger, e, what);
        }
    }

    private void Emit(string kind, string message, string severity = "info", string? workload = null, RejectionReason? reason = null, string? deploymentId = null, long? version = null)
    {
        var record = new EventRecord
        {
            DeviceId = _options.DeviceId,
            Kind = kind,
            Severity = severity,
            Message = message,
            Workload = workload,
            DeploymentId = deploymentId ?? _desired?.State.DeploymentId,
            Version = version ?? _desired?.State.Version,
            Reason = reason,
            Timestamp = Now,
        };
        ToSink(() => _sink.Event(record), $"event {kind}");
    }

    private abstract record LoopMessage;

    private sealed record DesiredMessage(byte[] Payload) : LoopMessage;

    private sealed record OversizedDesired(int Length) : LoopMessage;

    private sealed record FetchDone(string Workload, Rollout Rollout, Exception? Error) : LoopMessage;

    private sealed record ExitMessage(string Workload, IWorkload Instance, WorkloadExit Exit) : LoopMessage;

    private sealed record RestartRequest(string Workload, TaskCompletionSource<string?> Reply) : LoopMessage;
}
