using LiteDB;

namespace EdgeVisor.Agent.State;

/// <summary>The reconciler's journal (<see cref="AgentStore.JournalCollection"/>): one entry per (version, workload, step).</summary>
public sealed class ReconcileJournal(AgentStore store, TimeProvider time)
{
    private ILiteCollection<JournalEntry> Collection => store.Database.GetCollection<JournalEntry>(AgentStore.JournalCollection);

    /// <summary>Records that <paramref name="step"/> starts (again); returns the attempt number.</summary>
    public int Begin(long version, string workload, string step)
    {
        string id = IdOf(version, workload, step);
        var entry = Collection.FindById(id) ?? new JournalEntry { Id = id, Version = version, Workload = workload, Step = step };
        entry.Status = JournalStatus.Started;
        entry.Attempt++;
        entry.Error = null;
        entry.StartedUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        entry.EndedUnixMs = null;
        Collection.Upsert(entry);
        return entry.Attempt;
    }

    public void Complete(long version, string workload, string step) => End(version, workload, step, JournalStatus.Done, null);

    public void Fail(long version, string workload, string step, string error) => End(version, workload, step, JournalStatus.Failed, error);

    /// <summary>The entry of one step, or null when it never started.</summary>
    public JournalEntry? Find(long version, string workload, string step) => Collection.FindById(IdOf(version, workload, step));

    /// <summary>Every entry of one version (all workloads), oldest step first.</summary>
    public IReadOnlyList<JournalEntry> OfVersion(long version) =>
        Collection.Find(e => e.Version == version).OrderBy(e => e.StartedUnixMs).ToList();

    /// <summary>Forgets versions older than <paramref name="version"/> (they are applied or superseded).</summary>
    public int DeleteOlderThan(long version) => Collection.DeleteMany(e => e.Version < version);

    /// <summary>Forgets one workload's entries of <paramref name="version"/> (its rollout was replaced by another).</summary>
    public int DeleteWorkload(long version, string workload) => Collection.DeleteMany(e => e.Version == version && e.Workload == workload);

    private void End(long version, string workload, string step, JournalStatus status, string? error)
    {
        string id = IdOf(version, workload, step);
        var entry = Collection.FindById(id) ?? new JournalEntry { Id = id, Version = version, Workload = workload, Step = step, Attempt = 1 };
        entry.Status = status;
        entry.Error = error;
        entry.EndedUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        Collection.Upsert(entry);
    }

    private static string IdOf(long version, string workload, string step) => $"{version}/{workload}/{step}";
}
