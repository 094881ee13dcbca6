using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Hints, barriers, special registers and instructions that hand control to the system side.</summary>
internal static class SystemOps
{
    /// <summary>NOP, YIELD, IT (its effect is applied at decode time), barriers, PLD/PLI.</summary>
    public static void Nop(CortexMCpu cpu, ref Op op)
    {
    }

    /// <summary>An encoding no part of the decoder claims: UsageFault UNDEFINSTR.</summary>
    public static void Undefined(CortexMCpu cpu, ref Op op) => throw new CortexMFaultException(FaultType.UndefinedInstruction, op.Address);

    /// <summary>Coprocessor instruction with no coprocessor to take it: UsageFault NOCP.</summary>
    public static void NoCoprocessor(CortexMCpu cpu, ref Op op) => throw new CortexMFaultException(FaultType.NoCoprocessor, op.Address);

    /// <summary>The instruction could not be fetched: BusFault IBUSERR when it would execute.</summary>
    public static void FetchFault(CortexMCpu cpu, ref Op op) => throw new CortexMFaultException(FaultType.InstructionBusError, op.Address);

    /// <summary>MRS Rd, &lt;spec_reg&gt;: <c>Imm</c> = SYSm.</summary>
    public static void Mrs(CortexMCpu cpu, ref Op op) => cpu.R[op.Rd & 15] = cpu.ReadSpecialRegister((int)op.Imm);

    /// <summary>MSR &lt;spec_reg&gt;, Rn: <c>Imm</c> = SYSm, <c>Amount</c> = mask.</summary>
    public static void Msr(CortexMCpu cpu, ref Op op) => cpu.WriteSpecialRegister((int)op.Imm, cpu.R[op.Rn & 15], op.Amount);

    /// <summary>CPSID/CPSIE: <c>Extra</c> bit 0 = disable, <c>Amount</c> bit 1 = I, bit 0 = F.</summary>
    public static void Cps(CortexMCpu cpu, ref Op op) => cpu.ChangeProcessorState((op.Extra & 1) != 0, (op.Amount & 2) != 0, (op.Amount & 1) != 0);

    public static void Svc(CortexMCpu cpu, ref Op op) => cpu.SupervisorCall();

    public static void Wfi(CortexMCpu cpu, ref Op op) => cpu.WaitForInterrupt();

    public static void Wfe(CortexMCpu cpu, ref Op op) => cpu.WaitForEvent();

    public static void Sev(CortexMCpu cpu, ref Op op) => cpu.SendEvent();

    /// <summary>BKPT #Imm: semihosting (0xAB with a host), a debugger stop, or a HardFault (DEBUGEVT).</summary>
    public static void Bkpt(CortexMCpu cpu, ref Op op) => cpu.Breakpoint(ref op);
}
