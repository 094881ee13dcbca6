using EdgeVisor.Emulation.CortexM.Decoding;
using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>BKPT: semihosting, debugger stops, and breakpoint bookkeeping for the decoder.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>Semihosting's BKPT immediate.</summary>
    public const uint SemihostingImmediate = 0xAB;

    /// <summary>True when a debugger breakpoint is set at <paramref name="address"/> (blocks never span one).</summary>
    public bool IsBreakpoint(uint address) => _breakpoints.Count != 0 && _breakpoints.Contains(address);

    /// <summary>Executes BKPT #imm: semihosting when configured, otherwise a debug event.</summary>
    internal void Breakpoint(ref Op op)
    {
        if (op.Imm == SemihostingImmediate && Configuration.Semihosting is { } host && TrySemihosting(host))
        {
            return;
        }

        // With a debugger the engine stops here (PC at the BKPT); without one H3 escalates to HardFault.
        throw new CortexMFaultException(FaultType.BreakpointNoDebugger, op.Address);
    }
}
