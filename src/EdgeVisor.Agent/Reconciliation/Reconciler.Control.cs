using EdgeVisor.Workloads;

namespace EdgeVisor.Agent.Reconciliation;

// What the local control socket (edgevisor logs --follow) needs beyond the snapshots: a live feed of a workload's
// console lines. Safe from any thread: it only reads the concurrent log map, never the loop's state.
public sealed partial class Reconciler
{
    /// <summary>
    /// Calls <paramref name="line"/> for every console line <paramref name="workload"/> writes from now on, on the
    /// writer's thread (so the callback must be quick and must not block), until the result is disposed. Null when
    /// the agent has no such workload.
    /// </summary>
    public IDisposable? FollowLogs(string workload, Action<string> line)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(line);
        if (!_logs.ContainsKey(workload) && !Volatile.Read(ref _knownWorkloads).Contains(workload))
        {
            return null;
        }

        return new LogFollower(_logs, workload, line);
    }

    /// <summary>
    /// Subscribes to a workload's console log, and to its successor: the loop makes a workload's log at its first
    /// start in this process and drops it when the workload is removed, and it never calls out to readers, so the
    /// follower looks for the current log itself — often while there is none yet, rarely once attached. Lines a
    /// brand-new log writes before the follower finds it (at most <see cref="WaitingPeriod"/>) are not followed;
    /// they are in the log's tail.
    /// </summary>
    private sealed class LogFollower : IDisposable
    {
        private static readonly TimeSpan WaitingPeriod = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan AttachedPeriod = TimeSpan.FromSeconds(1);

        private readonly Lock _gate = new();
        private readonly IReadOnlyDictionary<string, WorkloadLog> _logs;
        private readonly string _workload;
        private readonly Action<string> _line;
        private readonly Timer _timer;
        private WorkloadLog? _attached;
        private bool _disposed;

        public LogFollower(IReadOnlyDictionary<string, WorkloadLog> logs, string workload, Action<string> line)
        {
            _logs = logs;
            _workload = workload;
            _line = line;
            _timer = new Timer(_ => Attach(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Attach();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                if (_attached is not null)
                {
                    _attached.LineWritten -= _line;
                    _attached = null;
                }
            }

            _timer.Dispose();
        }

        private void Attach()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _logs.TryGetValue(_workload, out var current);
                if (!ReferenceEquals(current, _attached))
                {
                    if (_attached is not null)
                    {
                        _attached.LineWritten -= _line;
                    }

                    if (current is not null)
                    {
                        current.LineWritten += _line;
                    }

                    _attached = current;
                }

                var period = _attached is null ? WaitingPeriod : AttachedPeriod;
                _timer.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
