namespace EdgeVisor.Emulation.Arm64.Memory;

/// <summary>Why a guest memory access failed.</summary>
public enum GuestFaultKind : byte
{
    /// <summary>No mapping, or the page's permissions refuse the access (Linux: SIGSEGV).</summary>
    Permission,

    /// <summary>An access that must be aligned was not (exclusives, atomics, acquire/release; Linux: SIGBUS).</summary>
    Alignment,
}

/// <summary>
/// A guest data or instruction access that the architecture turns into an abort. Thrown by <see cref="GuestMemory"/>'s
/// slow paths only; the core catches it at block level and reports the faulting instruction.
/// </summary>
public sealed class GuestFaultException : Exception
{
    public GuestFaultException(ulong address, bool write, bool execute, GuestFaultKind kind = GuestFaultKind.Permission)
        : base($"guest {(execute ? "instruction fetch" : write ? "write" : "read")} fault at 0x{address:x} ({kind})")
    {
        Address = address;
        Write = write;
        Execute = execute;
        Kind = kind;
    }

    public GuestFaultException()
    {
    }

    public GuestFaultException(string message)
        : base(message)
    {
    }

    public GuestFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ulong Address { get; }

    public bool Write { get; }

    public bool Execute { get; }

    public GuestFaultKind Kind { get; }
}
