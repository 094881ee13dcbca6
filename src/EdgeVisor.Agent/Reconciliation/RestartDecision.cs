using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>What to do with a workload that ended on its own.</summary>
internal enum RestartAction
{
    /// <summary>Leave it <see cref="WorkloadState.Stopped"/> (a clean exit the policy does not restart).</summary>
    Stop,

    /// <summary>Leave it <see cref="WorkloadState.Failed"/> (policy <c>never</c>, or the restart limit is reached).</summary>
    Fail,

    /// <summary>Start it again after <see cref="RestartDecision.Delay"/>.</summary>
    Restart,
}

/// <summary>The restart policy's verdict on one exit.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Delay">The backoff before a restart.</param>
/// <param name="Reason">The line reports show for the new state.</param>
internal sealed record RestartDecision(RestartAction Action, TimeSpan Delay, string Reason)
{
    /// <summary>
    /// Applies <paramref name="policy"/> to <paramref name="exit"/>. <paramref name="streak"/> counts the restarts
    /// since the workload last stayed up long enough (see <see cref="StayedUp"/>); the delay doubles with it from
    /// BackoffSeconds to MaxBackoffSeconds, and MaxRestarts limits it — so a workload that crashes once a week is
    /// never given up on, one that crash-loops is.
    /// </summary>
    public static RestartDecision Decide(RestartPolicy policy, WorkloadExit exit, int streak)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(exit);
        bool restart = policy.Mode switch
        {
            RestartModes.Always => true,
            RestartModes.Never => false,
            _ => exit.Failed,
        };
        if (!restart)
        {
            return exit.Failed
                ? new RestartDecision(RestartAction.Fail, TimeSpan.Zero, exit.Reason)
                : new RestartDecision(RestartAction.Stop, TimeSpan.Zero, exit.Reason);
        }

        if (policy.MaxRestarts is { } limit && streak >= limit)
        {
            return new RestartDecision(RestartAction.Fail, TimeSpan.Zero, $"restarted {streak} times; last: {exit.Reason}");
        }

        return new RestartDecision(RestartAction.Restart, BackoffOf(policy, streak), exit.Reason);
    }

    /// <summary>The delay before restart number <paramref name="streak"/>+1 of a streak.</summary>
    public static TimeSpan BackoffOf(RestartPolicy policy, int streak)
    {
        ArgumentNullException.ThrowIfNull(policy);
        double seconds = Math.Min(policy.BackoffSeconds * Math.Pow(2, Math.Min(streak, 30)), Math.Max(policy.BackoffSeconds, policy.MaxBackoffSeconds));
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }

    /// <summary>
    /// A run that lasted ten times the backoff before it (and at least a second), or a minute, ends the streak:
    /// the next failure starts again from the first, short delay.
    /// </summary>
    public static bool StayedUp(TimeSpan ran, TimeSpan backoffBefore) =>
        ran >= TimeSpan.FromMinutes(1) || ran >= TimeSpan.FromSeconds(Math.Max(1, backoffBefore.TotalSeconds * 10));
}
