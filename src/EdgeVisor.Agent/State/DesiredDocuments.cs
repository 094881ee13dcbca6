using EdgeVisor.Protocol;
using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>
/// The accepted desired state in <see cref="AgentStore.DesiredCollection"/>: the raw message as received (to
/// recognise the broker re-delivering the same retained message) and the verified document, plus the last
/// accepted version in meta — all written in one transaction.
/// </summary>
public sealed class DesiredDocuments(AgentStore store, TimeProvider time)
{
    public const string LastAcceptedVersionKey = "desired.lastAcceptedVersion";
    public const string AppliedVersionKey = "desired.appliedVersion";
    public const string LastRejectionKey = "desired.lastRejection";
    private const string CurrentId = "current";

    private ILiteCollection<BsonDocument> Collection => store.Database.GetCollection(AgentStore.DesiredCollection);

    /// <summary>The highest version ever accepted (null: none).</summary>
    public long? LastAcceptedVersion => store.GetMeta<long?>(LastAcceptedVersionKey);

    /// <summary>The version whose deployment was last reported applied (null: none).</summary>
    public long? AppliedVersion
    {
        get => store.GetMeta<long?>(AppliedVersionKey);
        set => store.SetMeta(AppliedVersionKey, value);
    }

    /// <summary>The current desired state, or null before the first accepted document.</summary>
    public StoredDesired? Load()
    {
        var document = Collection.FindById(CurrentId);
        if (document is null)
        {
            return null;
        }

        byte[] raw = document["raw"].AsBinary;
        var state = ProtocolJson.Parse<DesiredState>(document["document"].AsBinary);
        return new StoredDesired(raw, state, DateTimeOffset.FromUnixTimeMilliseconds(document["acceptedUnixMs"].AsInt64));
    }

    /// <summary>Stores an accepted document (raw bytes + parsed) and its version in one transaction.</summary>
    public StoredDesired Save(ReadOnlySpan<byte> raw, DesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[] rawCopy = raw.ToArray();
        var accepted = time.GetUtcNow();
        store.Transaction(() =>
        {
            Collection.Upsert(new BsonDocument
            {
                ["_id"] = CurrentId,
                ["raw"] = rawCopy,
                ["document"] = ProtocolJson.Serialize(state),
                ["deploymentId"] = state.DeploymentId,
                ["version"] = state.Version,
                ["acceptedUnixMs"] = accepted.ToUnixTimeMilliseconds(),
            });
            store.SetMeta<long?>(LastAcceptedVersionKey, state.Version);
            store.SetMeta<string?>(LastRejectionKey, null);
            return true;
        });
        return new StoredDesired(rawCopy, state, accepted);
    }

    /// <summary>The last refused document (kept so reports after a restart still show it), or null.</summary>
    public Rejection? LoadRejection() =>
        store.GetMeta<string?>(LastRejectionKey) is { Length: > 0 } json ? ProtocolJson.Parse<Rejection>(System.Text.Encoding.UTF8.GetBytes(json)) : null;

    public void SaveRejection(Rejection rejection) =>
        store.SetMeta<string?>(LastRejectionKey, System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(rejection)));
}

/// <summary>An accepted desired state: the message as received and the verified document.</summary>
public sealed record StoredDesired(byte[] Raw, DesiredState State, DateTimeOffset AcceptedAt);
