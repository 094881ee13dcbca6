using EdgeVisor.Agent.State;
using LiteDB;

namespace EdgeVisor.Agent.Artifacts;

/// <summary>One stored artifact as the index knows it.</summary>
/// <param name="Sha256">The content's digest (lowercase hex), also its file name.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Url">Where it was fetched from (the first URL that delivered it).</param>
/// <param name="Fetched">When it entered the store.</param>
/// <param name="LastUsed">When a workload last asked for it: garbage collection removes the least recently used first.</param>
internal sealed record ArtifactEntry(string Sha256, long Size, string Url, DateTimeOffset Fetched, DateTimeOffset LastUsed);

/// <summary>
/// The artifact index in the agent's LiteDB file (collection <see cref="AgentStore.ArtifactsCollection"/>, one
/// document per digest). The files in the store are the truth: an entry is written after its file is in place, so a
/// crash in between leaves a file without an entry, which <see cref="ArtifactStore"/> adopts when it finds one.
/// </summary>
internal sealed class ArtifactIndex(AgentStore store)
{
    private ILiteCollection<BsonDocument> Collection => store.Database.GetCollection(AgentStore.ArtifactsCollection);

    public ArtifactEntry? Find(string sha256) => Collection.FindById(sha256) is { } document ? FromDocument(document) : null;

    public IReadOnlyList<ArtifactEntry> All() => Collection.FindAll().Select(FromDocument).ToList();

    public void Put(ArtifactEntry entry) => Collection.Upsert(new BsonDocument
    {
        ["_id"] = entry.Sha256,
        ["size"] = entry.Size,
        ["url"] = entry.Url,
        // Unix milliseconds: LiteDB would hand DateTime back in local time.
        ["fetched"] = entry.Fetched.ToUnixTimeMilliseconds(),
        ["lastUsed"] = entry.LastUsed.ToUnixTimeMilliseconds(),
    });

    public void Remove(string sha256) => Collection.Delete(sha256);

    private static ArtifactEntry FromDocument(BsonDocument document) => new(
        document["_id"].AsString,
        document["size"].AsInt64,
        document["url"].AsString,
        DateTimeOffset.FromUnixTimeMilliseconds(document["fetched"].AsInt64),
        DateTimeOffset.FromUnixTimeMilliseconds(document["lastUsed"].AsInt64));
}
