namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// How a guest process ended: an exit code (exit, exit_group, return from main) or a terminating signal.
/// </summary>
/// <param name="Code">Exit code 0..255 when <paramref name="Signal"/> is 0.</param>
/// <param name="Signal">Terminating signal number, or 0 for a normal exit.</param>
/// <param name="CoreDumped">Whether the signal's default action dumps core (SIGSEGV, SIGABRT…): reported in the wait status.</param>
public readonly record struct ExitStatus(int Code, int Signal = 0, bool CoreDumped = false)
{
    /// <summary>A normal exit with <paramref name="code"/> (only the low 8 bits survive, as on Linux).</summary>
    public static ExitStatus Exited(int code) => new(code & 0xFF);

    /// <summary>Death by <paramref name="signal"/>.</summary>
    public static ExitStatus Signaled(int signal, bool coreDumped = false) => new(0, signal, coreDumped);

    /// <summary>The status a Linux wait status word describes (the inverse of <see cref="WaitStatus"/>).</summary>
    public static ExitStatus FromWaitStatus(int waitStatus) =>
        (waitStatus & 0x7F) != 0 ? Signaled(waitStatus & 0x7F, (waitStatus & 0x80) != 0) : Exited((waitStatus >> 8) & 0xFF);

    /// <summary>Whether a signal ended the process.</summary>
    public bool IsSignaled => Signal != 0;

    /// <summary>The status word wait4 reports: code &lt;&lt; 8 for an exit, the signal (| 0x80 for a core dump) otherwise.</summary>
    public int WaitStatus => IsSignaled ? (Signal & 0x7F) | (CoreDumped ? 0x80 : 0) : (Code & 0xFF) << 8;

    /// <summary>The shell's view: the exit code, or 128 + the signal number.</summary>
    public int ShellCode => IsSignaled ? 128 + Signal : Code;

    public override string ToString() => IsSignaled ? $"signal {Signal}{(CoreDumped ? " (core dumped)" : "")}" : $"exit {Code}";
}
