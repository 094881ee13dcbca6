namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// The ordered, idempotent steps that move one workload to a new generation (names as in the journal, the fault
/// points and reports). A removed workload only goes through <see cref="StopOld"/>.
/// </summary>
public static class RolloutSteps
{
    /// <summary>Download the artifact (and wiring) into the content-addressed store.</summary>
    public const string Fetch = "fetch";

    /// <summary>The store has the verified files and the driver still accepts the spec.</summary>
    public const string Verify = "verify";

    /// <summary>The generation directory holds what the launch needs.</summary>
    public const string Stage = "stage";

    /// <summary>The running older generation (if any) is stopped.</summary>
    public const string StopOld = "stop-old";

    /// <summary>The new generation is started by its driver.</summary>
    public const string StartNew = "start-new";

    /// <summary>The new generation stayed healthy for <c>Reconcile.HealthCheckSeconds</c>.</summary>
    public const string HealthCheck = "health-check";

    public static IReadOnlyList<string> All { get; } = [Fetch, Verify, Stage, StopOld, StartNew, HealthCheck];

    /// <summary>Position of <paramref name="step"/> in <see cref="All"/>.</summary>
    public static int IndexOf(string step)
    {
        for (int i = 0; i < All.Count; i++)
        {
            if (All[i] == step)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(step), step, "not a rollout step");
    }
}
