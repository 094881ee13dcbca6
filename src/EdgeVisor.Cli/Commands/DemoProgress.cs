using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// Turns the device's reports, events and console lines into the demo's output, and remembers what the verdict
/// needs: did the workload reach running, how many console lines did it print, did the device report offline.
/// </summary>
internal sealed class DemoProgress(DemoOutput output, string workload)
{
    private const int ShownStates = 5;
    private readonly Lock _lock = new();
    private readonly List<WorkloadState> _states = [];
    private readonly TaskCompletionSource _offline = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reachedRunning;
    private bool _converged;
    private int _consoleLines;

    /// <summary>Completes when the device's status says offline (after the agent stopped).</summary>
    public Task Offline => _offline.Task;

    public void OnReport(ReportedState report)
    {
        if (report.Workloads.FirstOrDefault(w => w.Name == workload) is not { } current)
        {
            return;
        }

        lock (_lock)
        {
            if (_states.Count > 0 && _states[^1] == current.State)
            {
                return;
            }

            _states.Add(current.State);
            _reachedRunning |= current.State == WorkloadState.Running;
            var shown = _states.Skip(Math.Max(0, _states.Count - ShownStates)).Select(FleetDeploymentWatcher.Kebab);
            string reason = current.Reason is { } why ? $" ({why})" : "";
            output.Line($"[state] {workload}: {(_states.Count > ShownStates ? "… → " : "")}{string.Join(" → ", shown)}{reason}");
            if (report.Converged && !_converged)
            {
                _converged = true;
                output.Line($"[state] {report.DeviceId} converged to version {report.Version}");
            }
        }
    }

    public void OnEvent(EventRecord record)
    {
        // Reports carry the states; events add what reports cannot: refusals and restarts.
        if (record.Kind is EventKinds.DeploymentRejected or EventKinds.WorkloadRestarted)
        {
            output.Line($"[event] {record.Kind}: {record.Message}");
        }
    }

    public void OnLogs(LogRecord record)
    {
        lock (_lock)
        {
            _consoleLines += record.Lines.Count;
        }

        foreach (string line in record.Lines)
        {
            output.Line($"[{record.Workload}] {line}");
        }
    }

    public void OnStatus(DeviceStatus status)
    {
        if (status.State == DeviceStates.Offline)
        {
            output.Line($"[state] {status.DeviceId}: offline");
            _offline.TrySetResult();
        }
    }

    /// <summary>The demo's verdict line and exit code: 0 only if the workload ran and printed.</summary>
    public int Summarize()
    {
        lock (_lock)
        {
            if (_reachedRunning && _consoleLines > 0)
            {
                output.Line($"demo ok: {workload} reached running and printed {_consoleLines} console line(s); everything stopped cleanly");
                return ExitCodes.Success;
            }

            Console.Error.WriteLine(_reachedRunning
                ? $"edgevisor demo: {workload} reached running but printed nothing on its console"
                : $"edgevisor demo: {workload} never reached running (states seen: {(_states.Count == 0 ? "none" : string.Join(" → ", _states.Select(FleetDeploymentWatcher.Kebab)))})");
            return ExitCodes.Failed;
        }
    }
}
