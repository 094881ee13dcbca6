namespace EdgeVisor.Cli;

/// <summary>
/// Process exit codes of <c>edgevisor</c>. For <c>run</c>, a firmware that exits through semihosting
/// gives its own code; the codes below report why the emulator stopped it instead. They follow the
/// sysexits and timeout(1) conventions so scripts and CI can tell them apart.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// <c>fleet deploy --wait</c>: the device rejected the deployment or a workload failed;
    /// <c>fleet command</c>: the device answered Ok=false; <c>demo</c>: the workload never ran or printed nothing.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown option, missing argument, bad value).</summary>
    public const int Usage = 2;

    /// <summary>
    /// <c>ps</c>, <c>logs</c>: no agent answers on the control socket (not running, or listening elsewhere), as an LSB
    /// status action reports a service that is not running.
    /// </summary>
    public const int NoAgent = 3;

    /// <summary>The firmware file is not ELF/HEX/BIN, is for another architecture, or does not fit the board.</summary>
    public const int BadImage = 65;

    /// <summary>A file named on the command line does not exist or cannot be read.</summary>
    public const int NoInput = 66;

    /// <summary><c>logs</c>: the agent has no workload of that name (EX_NOUSER, "addressee unknown").</summary>
    public const int UnknownWorkload = 67;

    /// <summary>A service the run needs is unavailable (the <c>--gdb</c> port is taken).</summary>
    public const int Unavailable = 69;

    /// <summary>An output file (<c>--trace-gpio</c>, <c>--trace-i2c</c>) cannot be created.</summary>
    public const int CannotCreate = 73;

    /// <summary>
    /// Host hardware the wiring maps is missing or busy: no such gpiochip, line or I2C bus on this host, or another
    /// process holds the line (EX_TEMPFAIL: free it and try again).
    /// </summary>
    public const int HostHardwareUnavailable = 75;

    /// <summary><c>ps</c>, <c>logs</c>: something answered on the control socket, but not as an edgevisor agent does.</summary>
    public const int BadReply = 76;

    /// <summary>
    /// The operator may not do this: a signing key that cannot be read or used, or the broker refused this
    /// controller's identity, password, publish or subscription; <c>ps</c>/<c>logs</c> run by a user who may not use the
    /// agent's root-only control socket.
    /// </summary>
    public const int NoPermission = 77;

    /// <summary>
    /// A <c>--wiring</c> file or <c>--stimulus</c> script is wrong: unknown pin, bus, device type or property, two
    /// owners for one pin or address, a host line the access policy refuses, a bad line of a stimulus script.
    /// </summary>
    public const int BadConfiguration = 78;

    /// <summary>The core sleeps (WFI/WFE) with nothing armed that could ever wake it.</summary>
    public const int Asleep = 122;

    /// <summary>A fault that nothing handles (no handler, bad vector): registers and fault status are printed.</summary>
    public const int UnhandledFault = 123;

    /// <summary>The wall-clock <c>--timeout</c> expired.</summary>
    public const int Timeout = 124;

    /// <summary>The <c>--max-instructions</c> limit was reached.</summary>
    public const int InstructionLimit = 125;

    /// <summary>The core locked up (a fault inside HardFault or NMI).</summary>
    public const int Lockup = 126;

    /// <summary>Interrupted by the user (Ctrl-C) or killed by the debugger, as shells report SIGINT.</summary>
    public const int Stopped = 130;

    /// <summary>Stopped by SIGTERM (after completing traces and releasing host hardware), as shells report SIGTERM.</summary>
    public const int Terminated = 143;
}
