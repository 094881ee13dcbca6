using System.Security.Cryptography;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>What the loop does with one workload when the desired state (or the agent) is new.</summary>
internal enum PlanAction
{
    /// <summary>Leave it alone (unchanged, or already on its way, or held after a failure of this version).</summary>
    Keep,

    /// <summary>Roll out a new generation (replacing any rollout in progress).</summary>
    Deploy,

    /// <summary>Continue the rollout the journal has open for the recorded target (after an agent start).</summary>
    Resume,

    /// <summary>Stop it and delete its record.</summary>
    Remove,
}

/// <summary>One line of a plan.</summary>
internal sealed record PlanItem(string Name, PlanAction Action, int Order, WorkloadSpec? Spec, string? SpecHash);

/// <summary>
/// The diff of desired against actual. Unchanged workloads are kept (an update of one never restarts the
/// others); a workload whose rollout failed for good is not retried until a newer version, which retries it even
/// with the same spec.
/// </summary>
internal static class RolloutPlanner
{
    public static IReadOnlyList<PlanItem> Plan(DesiredState? desired, IReadOnlyDictionary<string, WorkloadSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var plan = new List<PlanItem>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var workloads = desired?.Workloads ?? [];
        for (int order = 0; order < workloads.Count; order++)
        {
            var spec = workloads[order];
            wanted.Add(spec.Name);
            string hash = SpecHash(spec);
            var action = slots.TryGetValue(spec.Name, out var slot) ? Decide(slot, hash, desired!.Version) : PlanAction.Deploy;
            plan.Add(new PlanItem(spec.Name, action, order, spec, hash));
        }

        // Workloads that left the desired state, in reverse order so they stop in reverse of their start.
        foreach (var slot in slots.Values.Where(s => !wanted.Contains(s.Name)).OrderByDescending(s => s.Record.Order))
        {
            var action = slot.Rollout?.Kind == RolloutKind.Remove ? PlanAction.Keep : PlanAction.Remove;
            plan.Add(new PlanItem(slot.Name, action, slot.Record.Order, null, null));
        }

        return plan;
    }

    /// <summary>SHA-256 (hex) of the spec's wire JSON: what "changed" means.</summary>
    public static string SpecHash(WorkloadSpec spec) => Convert.ToHexStringLower(SHA256.HashData(ProtocolJson.Serialize(spec)));

    private static PlanAction Decide(WorkloadSlot slot, string hash, long version)
    {
        var record = slot.Record;
        if (slot.Rollout is { } rollout)
        {
            return rollout.Kind == RolloutKind.Deploy && rollout.Target!.SpecHash == hash ? PlanAction.Keep : PlanAction.Deploy;
        }

        if (record.Target is { } target)
        {
            return target.SpecHash == hash ? PlanAction.Resume : PlanAction.Deploy;
        }

        bool held = record.HeldVersion is { } heldVersion && heldVersion >= version;
        if (record.Active?.SpecHash == hash)
        {
            return record.State == WorkloadState.Failed && !held ? PlanAction.Deploy : PlanAction.Keep;
        }

        return held ? PlanAction.Keep : PlanAction.Deploy;
    }
}
