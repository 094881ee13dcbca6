using System.Security.Cryptography;
using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;
using EdgeVisor.Workloads.Firmware;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// One reconciler as the agent composes it — a real LiteDB file in a temporary state directory, the real artifact
/// store and firmware driver (behind <see cref="TrackingDriver"/>), a signing key it trusts — with its loop running.
/// A "crash" stops the loop exactly at a fault point and abandons the instance; <see cref="ReopenAsync"/> starts a
/// new one on the same state directory, as the agent would after SIGKILL.
/// </summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    public const string DeviceId = "pi-01";

    private static readonly ECDsa SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<string> _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http = new();
    private bool _ownsDirectory;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;

    private ReconcilerHarness(string stateDirectory, bool ownsDirectory, Action<AgentOptions>? configure, IWorkloadDriver? extraDriver)
    {
        StateDirectory = stateDirectory;
        _ownsDirectory = ownsDirectory;
        Options = new AgentOptions
        {
            DeviceId = DeviceId,
            StateDirectory = stateDirectory,
            Reconcile = new ReconcileOptions { HealthCheckSeconds = 0.3, RetryInitialSeconds = 0.1, RetryMaxSeconds = 0.4, StopGraceSeconds = 2 },
        };
        configure?.Invoke(Options);
        Store = AgentStore.Open(stateDirectory);
        Artifacts = new ArtifactStore(Path.Combine(stateDirectory, "artifacts"), Store, Options.Artifacts, _http, NullLogger<ArtifactStore>.Instance);
        Driver = new TrackingDriver(new FirmwareDriver());
        Anchors = new TrustAnchors();
        Anchors.AddPem(SigningKey.ExportSubjectPublicKeyInfoPem(), "test key");
        ExtraDriver = extraDriver;
        Reconciler = new Reconciler(Options, Store, Artifacts, extraDriver is null ? [Driver] : [Driver, extraDriver], Anchors, Sink, NullLogger<Reconciler>.Instance);
    }

    public string StateDirectory { get; }

    public AgentOptions Options { get; }

    public AgentStore Store { get; }

    public ArtifactStore Artifacts { get; }

    public TrackingDriver Driver { get; }

    /// <summary>A second driver (another kind), kept across <see cref="ReopenAsync"/>, or null.</summary>
    public IWorkloadDriver? ExtraDriver { get; }

    public TrustAnchors Anchors { get; }

    public RecordingSink Sink { get; } = new();

    public Reconciler Reconciler { get; }

    /// <summary>Completes with the fault point the loop "crashed" at.</summary>
    public Task<string> Crashed => _crashed.Task;

    /// <summary>Starts a reconciler on a fresh state directory (or <paramref name="stateDirectory"/>).</summary>
    /// <param name="configure">Changes to the test options.</param>
    /// <param name="crashAt">A fault point to "crash" at.</param>
    /// <param name="stateDirectory">An existing state directory (a restart), else a fresh one.</param>
    /// <param name="extraDriver">A driver of another kind next to the tracked firmware driver.</param>
    public static ReconcilerHarness Start(Action<AgentOptions>? configure = null, string? crashAt = null, string? stateDirectory = null, IWorkloadDriver? extraDriver = null)
    {
        bool owns = stateDirectory is null;
        stateDirectory ??= Path.Combine(Path.GetTempPath(), "edgevisor-reconciler-" + Guid.NewGuid().ToString("N"));
        var harness = new ReconcilerHarness(stateDirectory, owns, configure, extraDriver);
        if (crashAt is not null)
        {
            harness.CrashAt(crashAt);
        }

        harness._loop = Task.Run(() => harness.Reconciler.RunAsync(harness._stopping.Token));
        return harness;
    }

    /// <summary>From now on, "crash" (stop the loop dead) at <paramref name="point"/>.</summary>
    public void CrashAt(string point) => Reconciler.FaultHook = reached => CrashIfAt(point, reached);

    /// <summary>
    /// Abandons this instance as SIGKILL would (the loop stopped at its fault point, every machine gone, the store
    /// closed without anything else written) and starts a new reconciler on the same state directory.
    /// </summary>
    public async Task<ReconcilerHarness> ReopenAsync(Action<AgentOptions>? configure = null)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        await Driver.KillAllAsync();
        Store.Dispose();
        _http.Dispose();
        _disposed = true;
        var next = Start(configure, stateDirectory: StateDirectory, extraDriver: ExtraDriver);
        next._ownsDirectory = _ownsDirectory;
        _ownsDirectory = false;
        return next;
    }

    public static byte[] Sign(DesiredState state) => ProtocolJson.Serialize(DeploymentSignature.Sign(state, SigningKey));

    public static DesiredState Document(long version, params WorkloadSpec[] workloads) => new()
    {
        DeviceId = DeviceId,
        DeploymentId = "test-deployment",
        Version = version,
        IssuedAt = DateTimeOffset.UtcNow,
        Workloads = workloads,
    };

    /// <summary>Signs and submits a desired state, as the link does with a message from the desired topic.</summary>
    public byte[] Deploy(long version, params WorkloadSpec[] workloads)
    {
        byte[] message = Sign(Document(version, workloads));
        Reconciler.SubmitDesired(message);
        return message;
    }

    /// <summary>Waits until the latest report satisfies <paramref name="condition"/>; fails naming <paramref name="what"/> and what was seen.</summary>
    public async Task<ReportedState> WaitForReportAsync(Func<ReportedState, bool> condition, string what, double seconds = 15)
    {
        await WaitUntilAsync(() => Sink.Latest is { } latest && condition(latest), what, seconds);
        return Sink.Latest!;
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (_loop.IsFaulted)
            {
                Assert.Fail($"the reconcile loop failed while waiting for {what}: {_loop.Exception}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}\n{Sink.Describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the deployment of <paramref name="version"/> to be applied and returns the report.</summary>
    public Task<ReportedState> WaitForAppliedAsync(long version, double seconds = 15) =>
        WaitForReportAsync(r => r.Version == version && r.Converged && Sink.EventsOf(EventKinds.DeploymentApplied).Any(e => e.Version == version), $"version {version} applied and converged", seconds);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Reconciler.StopWorkloadsAsync(CancellationToken.None);
            await _stopping.CancelAsync();
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            await Driver.KillAllAsync();
            await Reconciler.DisposeAsync();
            Store.Dispose();
            _http.Dispose();
        }

        _stopping.Dispose();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A workload's file still closing; the temp directory is cleaned by the OS eventually.
            }
        }
    }

    private void CrashIfAt(string crashAt, string point)
    {
        if (point != crashAt)
        {
            return;
        }

        // What SIGKILL does to the loop: nothing after this point runs. Cancelling the loop's token and throwing
        // its cancellation unwinds the loop without any further write (the loop treats it as a shutdown).
        _crashed.TrySetResult(point);
        _stopping.Cancel();
        throw new OperationCanceledException(_stopping.Token);
    }
}
