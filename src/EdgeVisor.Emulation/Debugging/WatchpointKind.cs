namespace EdgeVisor.Emulation.Debugging;

/// <summary>Which accesses trigger a watchpoint (gdb's Z2, Z3 and Z4 packets).</summary>
public enum WatchpointKind
{
    /// <summary>Stores (gdb "watch").</summary>
    Write,

    /// <summary>Loads (gdb "rwatch").</summary>
    Read,

    /// <summary>Loads and stores (gdb "awatch").</summary>
    Access,
}
