namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// The breakpoints and watchpoints one debugger session asked for, and the ones actually in the target.
/// gdb takes every point out when the machine stops and puts them all back before it resumes; breakpoints
/// matter only while the machine runs and the stub never patches memory, so the table records requests and
/// brings the target up to date in <see cref="Apply"/> just before a resume or step. Unchanged sets then cost
/// nothing (the core drops its decoded blocks whenever its breakpoint list changes). Requests are counted, so
/// Z0 and Z1 at one address removed once leave one in place.
/// </summary>
public sealed class DebugPointTable
{
    private readonly IDebugTarget _target;
    private readonly Dictionary<ulong, int> _breakpoints = [];
    private readonly Dictionary<WatchKey, int> _watchpoints = [];
    private readonly HashSet<ulong> _breakpointsInTarget = [];
    private readonly HashSet<WatchKey> _watchpointsInTarget = [];

    public DebugPointTable(IDebugTarget target) => _target = target;

    /// <summary>Whether the target has one of the client's breakpoints at <paramref name="address"/>.</summary>
    public bool HasBreakpoint(ulong address) => _breakpointsInTarget.Contains(address);

    public bool AddBreakpoint(ulong address)
    {
        Count(_breakpoints, address, +1);
        return true;
    }

    public bool RemoveBreakpoint(ulong address)
    {
        Count(_breakpoints, address, -1);
        return true;
    }

    /// <summary>Records a watchpoint; false for an empty range.</summary>
    public bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        if (length == 0)
        {
            return false;
        }

        Count(_watchpoints, new WatchKey(address, length, kind), +1);
        return true;
    }

    public bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        Count(_watchpoints, new WatchKey(address, length, kind), -1);
        return true;
    }

    /// <summary>Makes the target's points match the requests (before the machine runs).</summary>
    public void Apply()
    {
        foreach (var address in _breakpointsInTarget.Where(a => !_breakpoints.ContainsKey(a)).ToList())
        {
            _target.RemoveBreakpoint(address);
            _breakpointsInTarget.Remove(address);
        }

        foreach (var address in _breakpoints.Keys.Where(a => !_breakpointsInTarget.Contains(a)).ToList())
        {
            if (_target.AddBreakpoint(address))
            {
                _breakpointsInTarget.Add(address);
            }
        }

        foreach (var key in _watchpointsInTarget.Where(k => !_watchpoints.ContainsKey(k)).ToList())
        {
            _target.RemoveWatchpoint(key.Address, key.Length, key.Kind);
            _watchpointsInTarget.Remove(key);
        }

        foreach (var key in _watchpoints.Keys.Where(k => !_watchpointsInTarget.Contains(k)).ToList())
        {
            if (_target.AddWatchpoint(key.Address, key.Length, key.Kind))
            {
                _watchpointsInTarget.Add(key);
            }
        }
    }

    /// <summary>Takes every point out of the target (the client detached or went away).</summary>
    public void RemoveAll()
    {
        _breakpoints.Clear();
        _watchpoints.Clear();
        Apply();
    }

    private static void Count<TKey>(Dictionary<TKey, int> table, TKey key, int delta)
        where TKey : notnull
    {
        int count = table.GetValueOrDefault(key) + delta;
        if (count > 0)
        {
            table[key] = count;
        }
        else
        {
            // gdb removes points it believes inserted; one we do not know is already gone.
            table.Remove(key);
        }
    }

    private readonly record struct WatchKey(ulong Address, ulong Length, WatchpointKind Kind);
}
