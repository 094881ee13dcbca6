namespace EdgeVisor.Agent.Reconciliation;

/// <summary>Delays between attempts of a failed rollout step: <c>Reconcile.RetryInitialSeconds</c> doubling to <c>RetryMaxSeconds</c>.</summary>
internal static class RetryBackoff
{
    public static TimeSpan Delay(ReconcileOptions options, int failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        double seconds = options.RetryInitialSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, Math.Max(options.RetryInitialSeconds, options.RetryMaxSeconds)));
    }
}
