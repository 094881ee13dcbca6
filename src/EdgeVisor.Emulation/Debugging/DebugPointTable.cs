namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// The breakpoints and watchpoints one debugger session inserted, counted so that gdb inserting the
/// same point twice (Z0 and Z1 at one address) and removing it once leaves it in place, and so that a
/// session that ends abruptly can take all of its points out of the target.
/// </summary>
public sealed class DebugPointTable
{
    private readonly IDebugTarget _target;
    private readonly Dictionary<ulong, int> _breakpoints = [];
    private readonly Dictionary<(ulong Address, ulong Length, WatchpointKind Kind), int> _watchpoints = [];

    public DebugPointTable(IDebugTarget target) => _target = target;

    public int Count => _breakpoints.Count + _watchpoints.Count;

    /// <summary>Whether the client has a breakpoint at <paramref name="address"/>.</summary>
    public bool HasBreakpoint(ulong address) => _breakpoints.ContainsKey(address);

    public bool AddBreakpoint(ulong address) => Add(_breakpoints, address, () => _target.AddBreakpoint(address));

    public bool RemoveBreakpoint(ulong address) => Remove(_breakpoints, address, () => _target.RemoveBreakpoint(address));

    public bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind) =>
        Add(_watchpoints, (address, length, kind), () => _target.AddWatchpoint(address, length, kind));

    public bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind) =>
        Remove(_watchpoints, (address, length, kind), () => _target.RemoveWatchpoint(address, length, kind));

    /// <summary>Removes every point still inserted (the client went away without removing them).</summary>
    public void RemoveAll()
    {
        foreach (var address in _breakpoints.Keys)
        {
            _target.RemoveBreakpoint(address);
        }

        foreach (var (address, length, kind) in _watchpoints.Keys)
        {
            _target.RemoveWatchpoint(address, length, kind);
        }

        _breakpoints.Clear();
        _watchpoints.Clear();
    }

    private static bool Add<TKey>(Dictionary<TKey, int> table, TKey key, Func<bool> insert)
        where TKey : notnull
    {
        if (table.TryGetValue(key, out int count))
        {
            table[key] = count + 1;
            return true;
        }

        if (!insert())
        {
            return false;
        }

        table[key] = 1;
        return true;
    }

    private static bool Remove<TKey>(Dictionary<TKey, int> table, TKey key, Func<bool> remove)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out int count))
        {
            // gdb removes points it believes inserted; one we do not know is already gone.
            return true;
        }

        if (count > 1)
        {
            table[key] = count - 1;
            return true;
        }

        table.Remove(key);
        return remove();
    }
}
