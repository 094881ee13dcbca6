using EdgeVisor.Fleet.Client;
using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// Follows one device's reported state and events for <c>fleet deploy --wait</c>, printing each change of its
/// workloads, until the awaited version has converged, was rejected, or a workload of it failed.
/// </summary>
internal sealed class FleetDeploymentWatcher : IAsyncDisposable
{
    private readonly string _deviceId;
    private readonly long _version;
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WorkloadState> _lastStates = new(StringComparer.Ordinal);
    private ReportedState? _last;
    private bool _published;
    private IAsyncDisposable? _reports;
    private IAsyncDisposable? _events;

    private FleetDeploymentWatcher(string deviceId, long version)
    {
        _deviceId = deviceId;
        _version = version;
    }

    /// <summary>Subscribes before the deployment is published, so no report about it can be missed.</summary>
    public static async Task<FleetDeploymentWatcher> StartAsync(FleetClient fleet, string deviceId, long version, CancellationToken ct)
    {
        var watcher = new FleetDeploymentWatcher(deviceId, version);
        watcher._reports = await fleet.WatchReportedAsync(deviceId, watcher.OnReport, ct);
        watcher._events = await fleet.WatchEventsAsync(deviceId, watcher.OnEvent, ct);
        return watcher;
    }

    /// <summary>
    /// Says the document is out: from now on a rejection event without a version (a document refused before its
    /// payload could be read, e.g. signed by an unknown key) is about this deployment.
    /// </summary>
    public void MarkPublished()
    {
        lock (_lock)
        {
            _published = true;
        }
    }

    /// <summary>0 when converged, 1 when rejected or failed (reason on stderr), 124 at the time limit.</summary>
    public async Task<int> WaitAsync(TimeSpan limit, CancellationToken ct)
    {
        try
        {
            return await _outcome.Task.WaitAsync(limit, ct);
        }
        catch (TimeoutException)
        {
            string last;
            lock (_lock)
            {
                last = _last is null ? "nothing reported" : $"last reported version {_last.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {Describe(_last)}";
            }

            return FleetErrors.Fail(ExitCodes.Timeout, $"{_deviceId} did not converge to version {_version} within {limit.TotalSeconds:0.#}s ({last})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reports is not null)
        {
            await _reports.DisposeAsync();
        }

        if (_events is not null)
        {
            await _events.DisposeAsync();
        }
    }

    private void OnReport(ReportedState report)
    {
        lock (_lock)
        {
            _last = report;
            if (report.LastRejection is { } rejection && rejection.Version == _version)
            {
                Finish(ExitCodes.Failed, $"{_deviceId} rejected version {_version}: {Kebab(rejection.Reason)}: {rejection.Message}");
                return;
            }

            if (report.Version != _version)
            {
                return;
            }

            foreach (var workload in report.Workloads)
            {
                if (!_lastStates.TryGetValue(workload.Name, out var before) || before != workload.State)
                {
                    _lastStates[workload.Name] = workload.State;
                    Console.WriteLine($"  {workload.Name}: {Kebab(workload.State)}{(workload.Reason is { } reason ? $" ({reason})" : "")}");
                }
            }

            if (report.Workloads.FirstOrDefault(w => w.State == WorkloadState.Failed) is { } failed)
            {
                Finish(ExitCodes.Failed, $"{_deviceId} version {_version}: workload {failed.Name} failed: {failed.Reason ?? "no reason given"}");
            }
            else if (report.Converged)
            {
                Console.WriteLine($"{_deviceId} converged to version {_version}: {Describe(report)}");
                _outcome.TrySetResult(ExitCodes.Success);
            }
        }
    }

    private void OnEvent(EventRecord record)
    {
        if (record.Kind != EventKinds.DeploymentRejected)
        {
            return;
        }

        lock (_lock)
        {
            if (record.Version == _version || (record.Version is null && _published))
            {
                Finish(ExitCodes.Failed, $"{_deviceId} rejected version {_version}: {(record.Reason is { } reason ? Kebab(reason) + ": " : "")}{record.Message}");
            }
        }
    }

    private void Finish(int code, string message)
    {
        if (!_outcome.Task.IsCompleted)
        {
            FleetErrors.Fail(code, message);
            _outcome.TrySetResult(code);
        }
    }

    private static string Describe(ReportedState report) =>
        report.Workloads.Count == 0 ? "no workloads" : string.Join(", ", report.Workloads.Select(w => $"{w.Name} {Kebab(w.State)}"));

    internal static string Kebab<T>(T value)
        where T : struct, Enum => System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(value)).Trim('"');
}
