using System.Collections.Frozen;
using System.Text.Json;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// Decides whether a message from the desired topic may change anything: signature, schema and the protocol's
/// rules (<see cref="DeploymentSignature.Verify"/> with this agent's kinds), this device and a version higher than
/// the last accepted one (<see cref="DesiredStateRules.CheckTarget"/>), and every workload accepted by its driver.
/// Pure: it neither stores nor reports.
/// </summary>
internal sealed class DeploymentGate(string deviceId, TrustAnchors anchors, int maxDocumentBytes, IReadOnlyDictionary<string, IWorkloadDriver> drivers)
{
    private readonly FrozenSet<string> _kinds = drivers.Keys.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks one message against the current desired state and the last accepted version.</summary>
    public GateDecision Check(ReadOnlySpan<byte> payload, StoredDesiredView current, long? lastAcceptedVersion)
    {
        if (payload.IsEmpty)
        {
            return GateDecision.Cleared;
        }

        // The broker re-delivers the retained document on every reconnect: the same bytes are not news.
        if (current.Raw is { } raw && payload.SequenceEqual(raw))
        {
            return GateDecision.Unchanged;
        }

        DesiredState state;
        try
        {
            state = DeploymentSignature.Verify(payload, anchors, maxDocumentBytes, _kinds);
            DesiredStateRules.CheckTarget(state, deviceId, lastAcceptedVersion);
        }
        catch (ProtocolException e)
        {
            var (deploymentId, version) = e.DeploymentId is not null || e.Version is not null || e.Reason == RejectionReason.TooLarge
                ? (e.DeploymentId, e.Version)
                : PeekClaims(payload, maxDocumentBytes);
            return GateDecision.Reject(e.Reason, e.Message, deploymentId, version);
        }

        // The protocol's rules passed; each driver has the last word on what it can run (boards, settings).
        for (int i = 0; i < state.Workloads.Count; i++)
        {
            var workload = state.Workloads[i];
            if (!drivers.TryGetValue(workload.Kind, out var driver))
            {
                return GateDecision.Reject(RejectionReason.Invalid, $"workloads[{i}].kind: kind '{workload.Kind}' is not supported by this agent", state.DeploymentId, state.Version);
            }

            if (driver.Validate(workload) is { } error)
            {
                return GateDecision.Reject(RejectionReason.Invalid, $"workloads[{i}] ('{workload.Name}'): {error}", state.DeploymentId, state.Version);
            }
        }

        return GateDecision.Accept(state);
    }

    /// <summary>
    /// What a refused envelope claims to be (deployment id and version), read without trusting it, for the
    /// rejection report; nulls when it cannot be read.
    /// </summary>
    private static (string? DeploymentId, long? Version) PeekClaims(ReadOnlySpan<byte> payload, int maxBytes)
    {
        try
        {
            var envelope = ProtocolJson.Parse<SignedDocument>(payload, maxBytes);
            using var document = JsonDocument.Parse(Convert.FromBase64String(envelope.Payload));
            var root = document.RootElement;
            string? deploymentId = root.TryGetProperty("deploymentId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            long? version = root.TryGetProperty("version", out var v) && v.TryGetInt64(out long number) ? number : null;
            return (deploymentId, version);
        }
        catch (Exception e) when (e is ProtocolException or JsonException or FormatException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}

/// <summary>The raw bytes of the currently stored desired message (null: none).</summary>
internal readonly record struct StoredDesiredView(byte[]? Raw);

/// <summary>What the gate decided about one message.</summary>
internal sealed record GateDecision
{
    /// <summary>An empty message: the retained desired state was cleared on the broker. Nothing changes.</summary>
    public static GateDecision Cleared { get; } = new() { Outcome = GateOutcome.Cleared };

    /// <summary>The very message already stored (re-delivered retained message). Nothing changes, nothing is reported.</summary>
    public static GateDecision Unchanged { get; } = new() { Outcome = GateOutcome.Unchanged };

    public GateOutcome Outcome { get; private init; }

    /// <summary>The verified document when accepted.</summary>
    public DesiredState? State { get; private init; }

    public RejectionReason Reason { get; private init; }

    public string? Message { get; private init; }

    public string? DeploymentId { get; private init; }

    public long? Version { get; private init; }

    public static GateDecision Accept(DesiredState state) => new() { Outcome = GateOutcome.Accepted, State = state, DeploymentId = state.DeploymentId, Version = state.Version };

    public static GateDecision Reject(RejectionReason reason, string message, string? deploymentId, long? version) =>
        new() { Outcome = GateOutcome.Rejected, Reason = reason, Message = message, DeploymentId = deploymentId, Version = version };
}

internal enum GateOutcome
{
    Accepted,
    Rejected,
    Cleared,
    Unchanged,
}
