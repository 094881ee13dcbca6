using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>Builds the device's <see cref="ReportedState"/> from the loop's workload slots.</summary>
internal static class ReportBuilder
{
    /// <param name="resources">A workload's resources (null: the slot's last reading).</param>
    public static ReportedState Build(string deviceId, string agentVersion, DesiredState? desired, IReadOnlyDictionary<string, string> desiredHashes, Rejection? lastRejection, IEnumerable<WorkloadSlot> slots, DateTimeOffset now, Func<WorkloadSlot, WorkloadResources?>? resources = null)
    {
        resources ??= slot => slot.Instance is null ? null : slot.Resources;
        var ordered = slots.OrderBy(s => s.Record.Order).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        return new ReportedState
        {
            DeviceId = deviceId,
            AgentVersion = agentVersion,
            DeploymentId = desired?.DeploymentId,
            Version = desired?.Version,
            Converged = IsConverged(desiredHashes, ordered),
            LastRejection = lastRejection,
            Timestamp = now,
            Workloads = ordered.Select(slot => Report(slot, resources(slot))).ToList(),
        };
    }

    /// <summary>
    /// Every desired workload runs its desired spec (or finished cleanly) with no rollout open, and nothing else is
    /// there. A workload left on its previous version by a rollback, failed, or waiting for a retry is not converged.
    /// </summary>
    public static bool IsConverged(IReadOnlyDictionary<string, string> desiredHashes, IReadOnlyCollection<WorkloadSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(desiredHashes);
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count != desiredHashes.Count)
        {
            return false;
        }

        return slots.All(slot =>
            desiredHashes.TryGetValue(slot.Name, out string? hash)
            && slot.Rollout is null
            && slot.Record.Target is null
            && slot.Record.Active?.SpecHash == hash
            && slot.Record.State is WorkloadState.Running or WorkloadState.Stopped);
    }

    private static WorkloadReport Report(WorkloadSlot slot, WorkloadResources? resources) => new()
    {
        Name = slot.Name,
        Kind = slot.Record.Kind,
        State = slot.Record.State,
        Reason = slot.Record.Reason,
        ArtifactSha256 = (slot.Record.Target ?? slot.Record.Active)?.ArtifactSha256,
        Restarts = slot.Record.Restarts,
        Resources = resources,
        Since = DateTimeOffset.FromUnixTimeMilliseconds(slot.Record.SinceUnixMs),
    };
}
