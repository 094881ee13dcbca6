using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// Test double for the MQTT side (the link is tested on its own against a real broker): records every report,
/// event and console line the reconciler hands over, in order.
/// </summary>
internal sealed class RecordingSink : IReportSink
{
    private readonly Lock _gate = new();
    private readonly List<ReportedState> _reports = [];
    private readonly List<EventRecord> _events = [];
    private readonly List<(string Workload, string Line)> _lines = [];

    public IReadOnlyList<ReportedState> Reports
    {
        get
        {
            lock (_gate)
            {
                return _reports.ToArray();
            }
        }
    }

    public IReadOnlyList<EventRecord> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public ReportedState? Latest
    {
        get
        {
            lock (_gate)
            {
                return _reports.Count == 0 ? null : _reports[^1];
            }
        }
    }

    public IReadOnlyList<string> LinesOf(string workload)
    {
        lock (_gate)
        {
            return _lines.Where(l => l.Workload == workload).Select(l => l.Line).ToArray();
        }
    }

    public IReadOnlyList<EventRecord> EventsOf(string kind) => Events.Where(e => e.Kind == kind).ToArray();

    public void Report(ReportedState state)
    {
        lock (_gate)
        {
            _reports.Add(state);
        }
    }

    public void Event(EventRecord record)
    {
        lock (_gate)
        {
            _events.Add(record);
        }
    }

    public void Log(string workload, IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            _lines.AddRange(lines.Select(line => (workload, line)));
        }
    }

    /// <summary>Everything seen so far, for failure messages.</summary>
    public string Describe()
    {
        var latest = Latest;
        string workloads = latest is null ? "(no report)" : string.Join(", ", latest.Workloads.Select(w => $"{w.Name}={w.State}({w.Reason}) sha={w.ArtifactSha256?[..8]} restarts={w.Restarts}"));
        string events = string.Join("\n  ", Events.Select(e => $"{e.Kind} [{e.Severity}] {e.Message}"));
        return $"latest report: v{latest?.Version} converged={latest?.Converged} {workloads}\nevents:\n  {events}";
    }
}
