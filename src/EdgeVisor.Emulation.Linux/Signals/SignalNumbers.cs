namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>What the kernel does with a signal nobody handles (SIG_DFL).</summary>
public enum DefaultSignalAction : byte
{
    /// <summary>End the process.</summary>
    Terminate,

    /// <summary>End the process with a core dump (EdgeVisor writes no core file; the status says "dumped").</summary>
    Core,

    /// <summary>Discard the signal.</summary>
    Ignore,

    /// <summary>Stop the process. EdgeVisor has no job control for the guest and discards it (as Ignore).</summary>
    Stop,

    /// <summary>Continue a stopped process; nothing to do otherwise.</summary>
    Continue,
}

// The kernel's own names (SIGSEGV, SA_RESTART, SS_ONSTACK…) keep the ABI greppable.
#pragma warning disable CA1707

/// <summary>
/// Linux signal numbers, codes and flags as an AArch64 guest sees them (the generic numbering, which x86-64 shares,
/// so host and guest numbers agree).
/// </summary>
public static class SignalNumbers
{
    /// <summary>Signals are 1..<see cref="Count"/>; 32..64 are real-time (glibc reserves 32..34).</summary>
    public const int Count = 64;

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGILL = 4;
    public const int SIGTRAP = 5;
    public const int SIGABRT = 6;
    public const int SIGBUS = 7;
    public const int SIGFPE = 8;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGSEGV = 11;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGALRM = 14;
    public const int SIGTERM = 15;
    public const int SIGSTKFLT = 16;
    public const int SIGCHLD = 17;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGTSTP = 20;
    public const int SIGTTIN = 21;
    public const int SIGTTOU = 22;
    public const int SIGURG = 23;
    public const int SIGXCPU = 24;
    public const int SIGXFSZ = 25;
    public const int SIGVTALRM = 26;
    public const int SIGPROF = 27;
    public const int SIGWINCH = 28;
    public const int SIGIO = 29;
    public const int SIGPWR = 30;
    public const int SIGSYS = 31;
    public const int SIGRTMIN = 32;

    // si_code values.
    public const int SI_USER = 0;
    public const int SI_KERNEL = 0x80;
    public const int SI_QUEUE = -1;
    public const int SI_TIMER = -2;
    public const int SI_TKILL = -6;
    public const int ILL_ILLOPC = 1;
    public const int FPE_INTDIV = 1;
    public const int SEGV_MAPERR = 1;
    public const int SEGV_ACCERR = 2;
    public const int BUS_ADRALN = 1;
    public const int TRAP_BRKPT = 1;
    public const int CLD_EXITED = 1;
    public const int CLD_KILLED = 2;
    public const int CLD_DUMPED = 3;

    // sa_flags (generic values, used by arm64).
    public const ulong SA_NOCLDSTOP = 0x1;
    public const ulong SA_NOCLDWAIT = 0x2;
    public const ulong SA_SIGINFO = 0x4;
    public const ulong SA_RESTORER = 0x04000000;
    public const ulong SA_ONSTACK = 0x08000000;
    public const ulong SA_RESTART = 0x10000000;
    public const ulong SA_NODEFER = 0x40000000;
    public const ulong SA_RESETHAND = 0x80000000;

    /// <summary>sa_handler values with a meaning of their own.</summary>
    public const ulong SIG_DFL = 0;
    public const ulong SIG_IGN = 1;

    /// <summary>Mask bit of signal <paramref name="signal"/> (1..64) in a 64-bit sigset.</summary>
    public static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>SIGKILL and SIGSTOP: can be neither caught, blocked nor ignored.</summary>
    public static readonly ulong Unblockable = Bit(SIGKILL) | Bit(SIGSTOP);

    /// <summary>Whether <paramref name="signal"/> is a valid signal number.</summary>
    public static bool IsValid(int signal) => signal is >= 1 and <= Count;

    /// <summary>The default action of <paramref name="signal"/>.</summary>
    public static DefaultSignalAction DefaultAction(int signal) => signal switch
    {
        SIGQUIT or SIGILL or SIGTRAP or SIGABRT or SIGBUS or SIGFPE or SIGSEGV or SIGXCPU or SIGXFSZ or SIGSYS => DefaultSignalAction.Core,
        SIGCHLD or SIGURG or SIGWINCH => DefaultSignalAction.Ignore,
        SIGSTOP or SIGTSTP or SIGTTIN or SIGTTOU => DefaultSignalAction.Stop,
        SIGCONT => DefaultSignalAction.Continue,
        _ => DefaultSignalAction.Terminate,
    };

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGSEGV", or "SIGRTMIN+n" for real-time signals.</summary>
    public static string Name(int signal) => signal switch
    {
        > 0 and < SIGRTMIN => Names[signal],
        >= SIGRTMIN and <= Count => signal == SIGRTMIN ? "SIGRTMIN" : $"SIGRTMIN+{signal - SIGRTMIN}",
        _ => $"signal {signal}",
    };
}
