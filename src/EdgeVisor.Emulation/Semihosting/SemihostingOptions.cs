namespace EdgeVisor.Emulation.Semihosting;

/// <summary>How a <see cref="SemihostingHost"/> connects the firmware to the host.</summary>
public sealed record SemihostingOptions
{
    /// <summary>What the firmware reads from ":tt" opened for reading and from SYS_READC; null reads end-of-file.</summary>
    public Stream? Stdin { get; init; }

    /// <summary>Where ":tt" opened for writing (modes 4-7) goes; null discards it.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>Where ":tt" opened for appending (modes 8-11, newlib's stderr) goes; null discards it.</summary>
    public Stream? Stderr { get; init; }

    /// <summary>
    /// Where SYS_WRITEC and SYS_WRITE0 go. Null means <see cref="Stderr"/>, which is what
    /// qemu-system-arm 7.2 does when no semihosting chardev is configured.
    /// </summary>
    public Stream? DebugConsole { get; init; }

    /// <summary>
    /// What SYS_GET_CMDLINE returns: program name then arguments, separated by spaces (newlib
    /// splits it into argv). qemu-system-arm gives the -kernel path as typed when no arg= is set.
    /// </summary>
    public string CommandLine { get; init; } = "";

    /// <summary>What SYS_HEAPINFO returns; all zeros when unset.</summary>
    public SemihostingHeapInfo HeapInfo { get; init; }

    /// <summary>
    /// Null (the default, as QEMU): guest file names are host paths, relative ones to the current
    /// directory. Otherwise every name is resolved inside this directory and names that would
    /// leave it are refused.
    /// </summary>
    public string? FileRoot { get; init; }

    /// <summary>False refuses SYS_OPEN of host files, SYS_REMOVE and SYS_RENAME (the console still works).</summary>
    public bool AllowFileAccess { get; init; } = true;

    /// <summary>Bytes per parameter-block field: 4 for AArch32/Thumb callers, 8 for AArch64.</summary>
    public int WordSize { get; init; } = 4;

    /// <summary>What SYS_ISTTY says for the console handles (QEMU asks isatty() on its own stdin/stdout/stderr).</summary>
    public bool StdinIsTerminal { get; init; }

    /// <inheritdoc cref="StdinIsTerminal"/>
    public bool StdoutIsTerminal { get; init; }

    /// <inheritdoc cref="StdinIsTerminal"/>
    public bool StderrIsTerminal { get; init; }

    /// <summary>Source of SYS_TIME's wall-clock seconds (tests substitute a fixed clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
