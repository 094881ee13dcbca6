namespace EdgeVisor.Emulation.Debugging;

/// <summary>How a debugger session ended, which decides what the server does with the machine next.</summary>
public enum GdbSessionEnd
{
    /// <summary>'D': the debugger detached; the machine resumes without it.</summary>
    Detached,

    /// <summary>The connection closed without 'D' or 'k'; treated like a detach.</summary>
    Disconnected,

    /// <summary>'k' / vKill: the debugger asked to end the machine.</summary>
    Killed,

    /// <summary>The firmware exited; the stop reply "W" was sent.</summary>
    Exited,

    /// <summary>The server was cancelled (timeout, Ctrl-C in the host process).</summary>
    Cancelled,
}
