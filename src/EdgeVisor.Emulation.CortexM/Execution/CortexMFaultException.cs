namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>
/// Thrown by an instruction handler that must fault (UNDEFINED, unaligned, divide by zero, MPU...).
/// The engine catches it at the instruction boundary, restores PC and ITSTATE from the op and calls
/// <see cref="CortexMCpu.RaiseFault"/>. Faults are rare, so an exception is cheaper than a status check per op.
/// </summary>
public sealed class CortexMFaultException : Exception
{
    public CortexMFaultException(FaultType type, uint address)
        : base($"{type} fault at 0x{address:X8}")
    {
        Type = type;
        Address = address;
    }

    /// <summary>Which fault.</summary>
    public FaultType Type { get; }

    /// <summary>The faulting data address (or the instruction address for instruction faults).</summary>
    public uint Address { get; }
}
