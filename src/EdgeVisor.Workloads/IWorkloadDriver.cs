using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads;

/// <summary>
/// Runs workloads of one kind (firmware now; container and package next). The agent's reconciler is its only
/// caller: it validates a spec before anything is fetched, starts it from staged files, and watches it.
/// </summary>
public interface IWorkloadDriver
{
    /// <summary>The <see cref="WorkloadSpec.Kind"/> this driver runs (<see cref="WorkloadKinds"/>).</summary>
    string Kind { get; }

    /// <summary>
    /// What is wrong with <paramref name="spec"/> for this driver (missing section, unknown board, bad
    /// configuration value), as one line naming the field; null when it can run. Cheap and side-effect free:
    /// called when a deployment arrives, before anything is fetched or stopped.
    /// </summary>
    string? Validate(WorkloadSpec spec);

    /// <summary>
    /// Starts the workload from its staged files. Returns once it is running (or throws
    /// <see cref="WorkloadStartException"/> naming why it could not start); its end is <see cref="IWorkload.Exited"/>.
    /// </summary>
    Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation);

    /// <summary>
    /// Called once when the agent starts, before any workload starts: removes what an earlier agent process left
    /// behind when it died (running containers, mounts, network plumbing). Workloads in the agent's own process
    /// (firmware) leave nothing.
    /// </summary>
    Task CleanUpAfterCrashAsync(CancellationToken cancellation) => Task.CompletedTask;
}

/// <summary>
/// Implemented by drivers whose artifact is more than one file the agent's artifact store can fetch and verify —
/// a container image in a registry, or a tarball that must be imported and unpacked. The reconciler's fetch step
/// calls <see cref="PrepareAsync"/>; its verify and stage steps ask <see cref="IsPrepared"/>.
/// </summary>
public interface IPreparesArtifacts
{
    /// <summary>
    /// True when the agent's artifact store must fetch <paramref name="spec"/>'s artifact as a file first (an image
    /// tarball, verified by its sha256) and hand it to <see cref="PrepareAsync"/>; false when the driver fetches it
    /// itself (an <c>oci://</c> reference).
    /// </summary>
    bool NeedsArtifactFile(WorkloadSpec spec);

    /// <summary>
    /// Makes the artifact ready to start: pulls it or imports <paramref name="artifactFile"/>, verifies every
    /// digest, unpacks it. Idempotent, and resumes what an interrupted call left. Throws
    /// <see cref="Downloads.ArtifactException"/> (<c>Permanent</c> when retrying cannot help) naming what failed.
    /// </summary>
    Task PrepareAsync(WorkloadSpec spec, string? artifactFile, IProgress<long>? progress, CancellationToken cancellation);

    /// <summary>Cheap: whether a start of <paramref name="spec"/> would find its artifact ready without the network.</summary>
    bool IsPrepared(WorkloadSpec spec);

    /// <summary>Drops prepared content that none of <paramref name="inUse"/> needs (every spec the agent may still start: active, previous, target).</summary>
    void CollectGarbage(IReadOnlyCollection<WorkloadSpec> inUse);
}

/// <summary>Everything a driver needs to start one workload: the spec and the local paths the agent staged for it.</summary>
public sealed record WorkloadLaunch
{
    public required WorkloadSpec Spec { get; init; }

    /// <summary>
    /// The verified artifact (firmware image) on local disk; read-only to the driver. Null for drivers that
    /// prepare their own artifacts (<see cref="IPreparesArtifacts"/>).
    /// </summary>
    public string? ArtifactPath { get; init; }

    /// <summary>Other verified artifacts the spec names, by their role (e.g. "wiring").</summary>
    public IReadOnlyDictionary<string, string> AuxiliaryPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>A directory the workload may keep state in across restarts and updates (EEPROM files, volumes).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where the workload's console output goes.</summary>
    public required WorkloadLog Log { get; init; }
}

/// <summary>A running workload.</summary>
public interface IWorkload : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Completes when the workload ends on its own or after <see cref="StopAsync"/>.</summary>
    Task<WorkloadExit> Exited { get; }

    /// <summary>Asks the workload to stop, forces it after <paramref name="grace"/>; returns when it has ended.</summary>
    Task StopAsync(TimeSpan grace, CancellationToken cancellation);

    /// <summary>A quick liveness check (null: healthy; else why not). Cheap: probes that take time run in the background.</summary>
    string? CheckHealth();

    /// <summary>
    /// The health check this instance runs in the background, when it has one (a container's, from its spec or its
    /// image): the agent's health window waits for its verdict and a later failure goes to the restart policy.
    /// </summary>
    HealthCheckSpec? HealthCheck => null;

    /// <summary>What the workload uses now (CPU, memory, processes), when its driver can tell.</summary>
    WorkloadResources? ReadResources() => null;
}

/// <summary>How a workload ended.</summary>
/// <param name="Failed">True for a fault, lockup or non-zero exit; false for a clean exit or a requested stop.</param>
/// <param name="ExitCode">The workload's own exit code, if it has one.</param>
/// <param name="Reason">One line for reports, e.g. "unhandled fault: HardFault at 0x08000134".</param>
/// <param name="Requested">True when the end was asked for (<see cref="IWorkload.StopAsync"/>).</param>
public sealed record WorkloadExit(bool Failed, int? ExitCode, string Reason, bool Requested = false);

/// <summary>A workload could not be started; the message is one line naming why.</summary>
public sealed class WorkloadStartException : Exception
{
    public WorkloadStartException()
    {
    }

    public WorkloadStartException(string message)
        : base(message)
    {
    }

    public WorkloadStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
