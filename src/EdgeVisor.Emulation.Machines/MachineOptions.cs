namespace EdgeVisor.Emulation.Machines;

/// <summary>How a <see cref="Machine"/> connects to the host: console streams, the firmware's command line, pacing, tracing.</summary>
public sealed record MachineOptions
{
    /// <summary>Where the console UART's output and semihosting stdout go, in program order (null: discarded).</summary>
    public Stream? ConsoleOutput { get; init; }

    /// <summary>Semihosting stderr and SYS_WRITEC/SYS_WRITE0 (null: the host's standard error, as QEMU).</summary>
    public Stream? ErrorOutput { get; init; }

    /// <summary>Bytes for the console UART's receiver and semihosting stdin (null: none; the firmware sees end-of-file).</summary>
    public Stream? ConsoleInput { get; init; }

    /// <summary>Program name and arguments the firmware gets from semihosting SYS_GET_CMDLINE.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Keep virtual time from running ahead of wall time (1:1), e.g. for passthrough to real pins.</summary>
    public bool Realtime { get; init; }

    /// <summary>When set, every executed instruction is written here (cycle, PC, symbol+offset, opcode); runs one instruction at a time.</summary>
    public TextWriter? Trace { get; init; }

    /// <summary>
    /// Whether the console streams are terminals. Semihosting SYS_ISTTY answers with these, and newlib line-buffers
    /// stdout only on a terminal, as under QEMU; pipes and files get full buffering.
    /// </summary>
    public ConsoleTerminals Terminals { get; init; }

    /// <summary>Semihosting file access: null resolves guest paths like QEMU (relative to the working directory).</summary>
    public string? SemihostingFileRoot { get; init; }
}

/// <summary>Which of the console's standard streams are terminals.</summary>
public readonly record struct ConsoleTerminals(bool Input, bool Output, bool Error)
{
    /// <summary>What the current process has: each stream that is not redirected is a terminal.</summary>
    public static ConsoleTerminals OfThisProcess() =>
        new(!Console.IsInputRedirected, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
}
