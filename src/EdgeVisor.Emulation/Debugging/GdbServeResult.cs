namespace EdgeVisor.Emulation.Debugging;

/// <summary>How the machine under <see cref="GdbServer"/> ended.</summary>
public enum GdbServeOutcome
{
    /// <summary>The firmware exited (semihosting); <see cref="GdbServeResult.ExitCode"/> holds its code.</summary>
    Exited,

    /// <summary>The debugger killed the machine ('k').</summary>
    Killed,

    /// <summary>The machine faulted or locked up while no debugger was attached.</summary>
    Faulted,

    /// <summary>The caller's cancellation token fired (timeout or host Ctrl-C).</summary>
    Cancelled,
}

/// <summary>The result of <see cref="GdbServer.Serve"/>.</summary>
public sealed record GdbServeResult(GdbServeOutcome Outcome, int? ExitCode = null, string? Message = null);
