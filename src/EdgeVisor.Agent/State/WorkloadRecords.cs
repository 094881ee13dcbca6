using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>The workload records in <see cref="AgentStore.WorkloadsCollection"/>.</summary>
public sealed class WorkloadRecords(AgentStore store)
{
    private ILiteCollection<WorkloadRecord> Collection => store.Database.GetCollection<WorkloadRecord>(AgentStore.WorkloadsCollection);

    /// <summary>Every record, in document order.</summary>
    public IReadOnlyList<WorkloadRecord> All() => Collection.FindAll().OrderBy(r => r.Order).ToList();

    /// <summary>Writes (inserting or replacing) one record atomically.</summary>
    public void Save(WorkloadRecord record) => Collection.Upsert(record);

    public void Delete(string name) => Collection.Delete(name);
}
