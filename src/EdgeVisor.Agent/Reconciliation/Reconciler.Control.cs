using System.Collections.Immutable;

namespace EdgeVisor.Agent.Reconciliation;

// What the local control socket (edgevisor logs --follow) needs beyond the snapshots: a live feed of a workload's
// console lines. Safe from any thread: it only touches the followers' own registry, never the loop's state.
public sealed partial class Reconciler
{
    private readonly LogFollowers _followers = new();

    /// <summary>
    /// Calls <paramref name="line"/> for every console line <paramref name="workload"/> writes from now on, on the
    /// writer's thread (so the callback must be quick and must not block), until the result is disposed — also the
    /// lines of a log the workload does not have yet (it has not started in this process) and of its next one. Null
    /// when the agent has no such workload.
    /// </summary>
    public IDisposable? FollowLogs(string workload, Action<string> line)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(line);
        if (!_logs.ContainsKey(workload) && !Volatile.Read(ref _knownWorkloads).Contains(workload))
        {
            return null;
        }

        return _followers.Add(workload, line);
    }

    /// <summary>
    /// Followers by workload name rather than by log: the loop makes a workload's log at its first start in this
    /// process and forwards every line of it here from its first write (<see cref="LogOf"/>), so a follower that
    /// came before the log, or stays while the log is replaced, misses nothing and never has to look for it.
    /// </summary>
    private sealed class LogFollowers
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, ImmutableArray<Action<string>>> _byWorkload = new(StringComparer.Ordinal);

        public IDisposable Add(string workload, Action<string> line)
        {
            lock (_gate)
            {
                _byWorkload[workload] = _byWorkload.GetValueOrDefault(workload, []).Add(line);
            }

            return new Subscription(this, workload, line);
        }

        /// <summary>Hands <paramref name="line"/> to the workload's followers (none: nothing to do).</summary>
        public void Publish(string workload, string line)
        {
            ImmutableArray<Action<string>> followers;
            lock (_gate)
            {
                if (!_byWorkload.TryGetValue(workload, out followers))
                {
                    return;
                }
            }

            foreach (var follower in followers)
            {
                follower(line);
            }
        }

        private void Remove(string workload, Action<string> line)
        {
            lock (_gate)
            {
                if (_byWorkload.TryGetValue(workload, out var followers))
                {
                    followers = followers.Remove(line);
                    if (followers.IsEmpty)
                    {
                        _byWorkload.Remove(workload);
                    }
                    else
                    {
                        _byWorkload[workload] = followers;
                    }
                }
            }
        }

        private sealed class Subscription(LogFollowers followers, string workload, Action<string> line) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    followers.Remove(workload, line);
                }
            }
        }
    }
}
