using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// Where the reconciler's reports go. The MQTT link implements it: reported state is kept (latest wins) and
/// events are queued in the LiteDB outbox in order while offline; log lines are published only while
/// connected (the log files on the device keep everything).
/// </summary>
public interface IReportSink
{
    /// <summary>The device's whole reported state after a change (retained; only the latest matters).</summary>
    void Report(ReportedState state);

    /// <summary>One event (sequence numbers are assigned by the sink, from the store, strictly increasing).</summary>
    void Event(EventRecord record);

    /// <summary>Console lines of one workload.</summary>
    void Log(string workload, IReadOnlyList<string> lines);
}
