namespace EdgeVisor.Emulation.Memory;

/// <summary>
/// An access the bus could not complete: nothing mapped there, a write to ROM, or a device that
/// refused it. Cores turn it into the architecture's bus-fault exception. It is thrown only on the
/// slow path, never for ordinary RAM traffic.
/// </summary>
public sealed class BusFaultException : Exception
{
    public BusFaultException(uint address, bool isWrite, string reason)
        : base($"bus fault: {(isWrite ? "write to" : "read from")} 0x{address:X8} ({reason})")
    {
        Address = address;
        IsWrite = isWrite;
        Reason = reason;
    }

    public uint Address { get; }

    public bool IsWrite { get; }

    public string Reason { get; }
}
