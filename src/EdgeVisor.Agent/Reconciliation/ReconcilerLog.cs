using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>The reconciler's log messages (event ids 500–599).</summary>
internal static partial class ReconcilerLog
{
    [LoggerMessage(500, LogLevel.Information, "Accepted deployment {DeploymentId} version {Version} ({Workloads} workloads)")]
    public static partial void Accepted(ILogger logger, string deploymentId, long version, int workloads);

    [LoggerMessage(501, LogLevel.Warning, "Rejected a desired-state document ({Reason}): {Message}")]
    public static partial void Rejected(ILogger logger, RejectionReason reason, string message);

    [LoggerMessage(502, LogLevel.Information, "The retained desired state was cleared on the broker; the current deployment stays")]
    public static partial void Cleared(ILogger logger);

    [LoggerMessage(503, LogLevel.Debug, "Ignored a re-delivered desired-state document (same bytes as {What})")]
    public static partial void Redelivered(ILogger logger, string what);

    [LoggerMessage(510, LogLevel.Warning, "Workload {Workload}: step {Step} failed (attempt {Attempt}, {Kind}): {Message}")]
    public static partial void StepFailed(ILogger logger, string workload, string step, int attempt, string kind, string message);

    [LoggerMessage(511, LogLevel.Information, "Workload {Workload}: generation {Generation} started")]
    public static partial void Started(ILogger logger, string workload, int generation);

    [LoggerMessage(512, LogLevel.Information, "Workload {Workload} ended: {Reason}")]
    public static partial void Exited(ILogger logger, string workload, string reason);

    [LoggerMessage(513, LogLevel.Warning, "Workload {Workload}: rolling back to generation {Generation}: {Reason}")]
    public static partial void RollingBack(ILogger logger, string workload, int generation, string reason);

    [LoggerMessage(514, LogLevel.Information, "Workload {Workload}: state {State} {Reason}")]
    public static partial void StateChanged(ILogger logger, string workload, WorkloadState state, string? reason);

    [LoggerMessage(515, LogLevel.Warning, "Workload {Workload} did not stop cleanly")]
    public static partial void StopFailed(ILogger logger, Exception exception, string workload);

    [LoggerMessage(520, LogLevel.Information, "Stopping {Count} workloads")]
    public static partial void StoppingAll(ILogger logger, int count);

    [LoggerMessage(521, LogLevel.Information, "Deployment {DeploymentId} version {Version} applied: {Summary}")]
    public static partial void Applied(ILogger logger, string deploymentId, long version, string summary);

    [LoggerMessage(530, LogLevel.Error, "The reconcile loop failed while handling {What}")]
    public static partial void LoopError(ILogger logger, Exception exception, string what);

    [LoggerMessage(531, LogLevel.Error, "The report sink refused {What}")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(532, LogLevel.Warning, "Artifact garbage collection failed")]
    public static partial void GarbageFailed(ILogger logger, Exception exception);

    [LoggerMessage(533, LogLevel.Warning, "The workload driver failed in {Call} for {What}")]
    public static partial void DriverFailed(ILogger logger, Exception exception, string what, string call);
}
