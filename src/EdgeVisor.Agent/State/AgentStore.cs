using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>
/// The agent's one LiteDB file (<c>agent.db</c> in the state directory): desired state as received, workload
/// records, the reconciler's journal, the artifact index and the outbox. Each feature owns its collections
/// (named here so no two features share one); LiteDB's journal makes every single write atomic, and
/// <see cref="Transaction"/> groups several. Opened exclusively: two agents on one state directory fail fast.
/// </summary>
public sealed class AgentStore : IDisposable
{
    public const string DesiredCollection = "desired";
    public const string WorkloadsCollection = "workloads";
    public const string JournalCollection = "journal";
    public const string ArtifactsCollection = "artifacts";
    public const string OutboxCollection = "outbox";
    public const string MetaCollection = "meta";

    private AgentStore(LiteDatabase database, string path)
    {
        Database = database;
        Path = path;
    }

    public LiteDatabase Database { get; }

    public string Path { get; }

    /// <summary>Opens (creating) the store in <paramref name="stateDirectory"/>.</summary>
    public static AgentStore Open(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        string path = System.IO.Path.Combine(stateDirectory, "agent.db");
        var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, Upgrade = true });
        return new AgentStore(database, path);
    }

    /// <summary>Runs <paramref name="work"/> in one LiteDB transaction: all of its writes land, or none.</summary>
    public T Transaction<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Database.BeginTrans();
        try
        {
            T result = work();
            Database.Commit();
            return result;
        }
        catch
        {
            Database.Rollback();
            throw;
        }
    }

    /// <summary>A small named value (last accepted version, event sequence, …).</summary>
    public T? GetMeta<T>(string key)
    {
        var document = Database.GetCollection(MetaCollection).FindById(key);
        return document is null ? default : BsonMapper.Global.Deserialize<T>(document["value"]);
    }

    public void SetMeta<T>(string key, T value) =>
        Database.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = key, ["value"] = BsonMapper.Global.Serialize(value) });

    public void Dispose() => Database.Dispose();
}
