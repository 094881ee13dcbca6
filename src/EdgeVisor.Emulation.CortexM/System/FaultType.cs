namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The synchronous faults the execution engine reports through <see cref="CortexMCpu.RaiseFault"/>.
/// Each maps to one status bit of CFSR/HFSR/DFSR and to MemManage, BusFault, UsageFault or HardFault.
/// </summary>
public enum FaultType
{
    /// <summary>UsageFault UNDEFINSTR: an encoding the model does not implement.</summary>
    UndefinedInstruction,

    /// <summary>UsageFault INVSTATE: executing with EPSR.T clear (BX to an even address, vector without the Thumb bit).</summary>
    InvalidState,

    /// <summary>UsageFault INVPC: an illegal EXC_RETURN or an inconsistent exception return.</summary>
    InvalidPc,

    /// <summary>UsageFault NOCP: a coprocessor (FP) instruction with the coprocessor absent or disabled in CPACR.</summary>
    NoCoprocessor,

    /// <summary>UsageFault UNALIGNED: an unaligned access the architecture (or CCR.UNALIGN_TRP) forbids.</summary>
    Unaligned,

    /// <summary>UsageFault DIVBYZERO: SDIV/UDIV by zero with CCR.DIV_0_TRP set.</summary>
    DivideByZero,

    /// <summary>BusFault PRECISERR: a data access the bus refused; the address goes to BFAR.</summary>
    PreciseBusError,

    /// <summary>BusFault IBUSERR: an instruction fetch the bus refused.</summary>
    InstructionBusError,

    /// <summary>MemManage DACCVIOL: a data access the MPU forbids; the address goes to MMFAR.</summary>
    MemManageData,

    /// <summary>MemManage IACCVIOL: an instruction fetch from an execute-never or forbidden region.</summary>
    MemManageInstruction,

    /// <summary>BKPT with no debugger attached: HardFault with HFSR.DEBUGEVT and DFSR.BKPT.</summary>
    BreakpointNoDebugger,
}
