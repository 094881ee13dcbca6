using EdgeVisor.Emulation.CortexM.Execution;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// FP access control and lazy FP state preservation (ARMv7-M ExecuteFPCheck / PreserveFPState /
/// UpdateFPCCR): exception entry with CONTROL.FPCA and FPCCR.LSPEN only reserves S0-S15/FPSCR space
/// and records it in FPCAR with LSPACT set; the first FP instruction in the handler fills it; exception
/// return with LSPACT still set skips restoring it.
/// </summary>
public sealed partial class CortexMCpu
{
    // True when an FP instruction needs no work beyond executing: CPACR grants full access, nothing is
    // lazily pending and the context already owns FP state.
    private bool _fpFullAccess;

    /// <summary>
    /// Called at the start of every FP instruction. Throws <see cref="CortexMFaultException"/> with
    /// <see cref="FaultType.NoCoprocessor"/> (UsageFault NOCP) when the model has no FPU or CPACR denies
    /// access at the current privilege. Otherwise preserves lazily stacked state, starts a new FP context
    /// (CONTROL.FPCA, FPSCR defaults from FPDSCR) when FPCCR.ASPEN asks, and returns true.
    /// </summary>
    public bool FpAccessCheck()
    {
        if (_fpFullAccess && (Control & FpcaBit) != 0 && (FpControl.Fpccr & FpContextControl.LspAct) == 0)
        {
            return true;
        }

        return FpAccessCheckSlow();
    }

    /// <summary>Re-derives the FP fast-path flag after CPACR changed.</summary>
    internal void OnFpAccessChanged() => _fpFullAccess = CpuModel.HasFpu && Scb.FpAccess == 3;

    private bool FpAccessCheckSlow()
    {
        int access = CpuModel.HasFpu ? Scb.FpAccess : 0;
        if (access == 0 || access == 2 || (access == 1 && !Privileged))
        {
            throw new CortexMFaultException(FaultType.NoCoprocessor, R[15]);
        }

        if (FpControl.LazyActive)
        {
            PreserveFpState();
        }

        if (FpControl.AutomaticPreservation && (Control & FpcaBit) == 0)
        {
            Fpscr = (Fpscr & ~FpContextControl.DefaultFields) | (FpControl.Fpdscr & FpContextControl.DefaultFields);
            Control |= FpcaBit;
        }

        return true;
    }

    /// <summary>UpdateFPCCR at exception entry: reserve the FP part of the frame instead of writing it.</summary>
    private void ReserveLazyFpFrame(uint address, bool privileged, bool handler)
    {
        int priority = ExecutionPriority();
        uint fpccr = FpControl.Fpccr & (FpContextControl.AspEn | FpContextControl.LspEn);
        fpccr |= FpContextControl.LspAct;
        fpccr |= privileged ? 0 : FpContextControl.User;
        fpccr |= handler ? 0 : FpContextControl.Thread;
        fpccr |= priority > -1 ? FpContextControl.HfRdy : 0;
        fpccr |= CanTake(ExceptionNumber.BusFault, priority) ? FpContextControl.BfRdy : 0;
        fpccr |= CanTake(ExceptionNumber.MemManage, priority) ? FpContextControl.MmRdy : 0;
        FpControl.Fpccr = fpccr;
        FpControl.Fpcar = address;
    }

    private bool CanTake(int exception, int executionPriority) =>
        Nvic.IsEnabled(exception) && Nvic.GroupPriority(exception) < executionPriority;

    /// <summary>PreserveFPState: writes S0-S15 and FPSCR to the space reserved at FPCAR, with the privilege recorded in FPCCR.USER.</summary>
    private void PreserveFpState()
    {
        uint address = FpControl.Fpcar;
        bool privileged = (FpControl.Fpccr & FpContextControl.User) == 0;
        var errors = default(StackErrors);
        for (int i = 0; i < 16; i++)
        {
            StackWrite(address + (uint)(4 * i), S[i], privileged, ref errors);
        }

        StackWrite(address + 0x40, Fpscr, privileged, ref errors);
        FpControl.LazyActive = false;
        if (errors.Mpu)
        {
            PendDerivedFault(FaultStatus.MLspErr, ExceptionNumber.MemManage, "MemManage fault during lazy FP state preservation");
        }

        if (errors.Bus)
        {
            PendDerivedFault(FaultStatus.LspErr, ExceptionNumber.BusFault, "BusFault during lazy FP state preservation");
        }
    }
}
