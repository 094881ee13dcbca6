using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The exception model, following the ARMv7-M/ARMv6-M pseudocode (PushStack, ExceptionTaken,
/// ExceptionReturn, PopStack): priorities and preemption, stacking (basic and extended frames, lazy FP
/// space), vector fetch, tail-chaining, fault escalation to HardFault and lockup. The engine calls
/// <see cref="CheckPendingExceptions"/> at block boundaries while <see cref="ExceptionCheckNeeded"/> is
/// set, <see cref="RaiseFault"/> at the boundary of a faulting instruction and
/// <see cref="ExceptionReturn"/> when Handler-mode code branches to an EXC_RETURN value.
/// </summary>
public sealed partial class CortexMCpu
{
    /// <summary>PC value while locked up.</summary>
    public const uint LockupAddress = 0xEFFFFFFE;

    private const uint FpcaBit = 4;
    private const uint SpselBit = 2;

    /// <summary>Set whenever pending, enable, priority or mask state changed; the engine then calls <see cref="CheckPendingExceptions"/>.</summary>
    public bool ExceptionCheckNeeded;

    /// <summary>The core is asleep (WFI, WFE, sleep-on-exit). Cleared when something wakes it.</summary>
    public bool Sleeping;

    /// <summary>The core locked up (a fault at HardFault/NMI priority, or a failed reset vector fetch). The engine must stop with <see cref="StopReason.Lockup"/>.</summary>
    public bool LockedUp;

    /// <summary>CCR.UNALIGN_TRP (always set on ARMv6-M).</summary>
    public bool UnalignedTrap;

    /// <summary>CCR.DIV_0_TRP.</summary>
    public bool DivideByZeroTrap;

    /// <summary>MPU_CTRL.ENABLE: memory helpers call <see cref="MpuCheck"/> before each access while set.</summary>
    public bool MpuEnabled;

    // The WFE event register.
    private bool _eventRegister;
    private bool _sleepIsWfe;

    /// <summary>The interrupt controller: exception state and the inputs devices drive.</summary>
    public Nvic Nvic { get; private set; } = null!;

    /// <summary>System Control Block registers, including the fault status registers.</summary>
    public SystemControlBlock Scb { get; private set; } = null!;

    public SysTickTimer SysTick { get; private set; } = null!;

    public Mpu Mpu { get; private set; } = null!;

    /// <summary>FPCCR/FPCAR/FPDSCR.</summary>
    public FpContextControl FpControl { get; private set; } = null!;

    /// <summary>What locked the core up, for the run's error report; null when not locked up.</summary>
    public string? LockupReason { get; private set; }

    /// <summary>True after the guest requested a system reset through AIRCR, until the next reset.</summary>
    public bool ResetRequestPending { get; private set; }

    /// <summary>The WFE event register (set by SEV, exception entry and return, SEVONPEND).</summary>
    public bool EventRegister => _eventRegister;

    /// <summary>Creates the NVIC, SCB, SysTick, MPU and FP control blocks and maps the System Control Space at 0xE000E000.</summary>
    public void InitializeSystem()
    {
        Nvic = new Nvic(this, Configuration.Interrupts, CpuModel.IsV6M ? Math.Min(Configuration.PriorityBits, 2) : Configuration.PriorityBits);
        Scb = new SystemControlBlock(this, Nvic);
        SysTick = new SysTickTimer(Clock, Nvic, Configuration.SysTickReferenceHz);
        Mpu = new Mpu(this);
        FpControl = new FpContextControl(CpuModel);
        Bus.MapDevice("SCS", SystemControlSpace.BaseAddress, SystemControlSpace.Size, new SystemControlSpace(this));
        ResetSystemBlocks();
    }

    /// <summary>
    /// Architectural reset of the core and its system blocks: registers to their reset values, Thread
    /// mode on MSP, then SP_main from [VTOR] and the PC and EPSR.T from [VTOR+4].
    /// </summary>
    public void ResetSystem()
    {
        ResetSystemBlocks();
        for (int i = 0; i < 13; i++)
        {
            R[i] = 0;
        }

        S = default;
        Fpscr = 0;
        Apsr = 0;
        Ipsr = 0;
        ItState = 0;
        Control = 0;
        Primask = false;
        Faultmask = false;
        Basepri = 0;
        OtherSp = 0;
        R[14] = 0xFFFFFFFF;
        LockedUp = false;
        LockupReason = null;
        Sleeping = false;
        _eventRegister = false;
        ExceptionCheckNeeded = false;
        ResetRequestPending = false;

        uint table = Scb.Vtor;
        try
        {
            uint sp = Bus.Read32(table);
            uint entry = Bus.Read32(table + 4);
            R[13] = sp & ~3u;
            R[15] = entry & ~1u;
            Thumb = (entry & 1) != 0;
        }
        catch (BusFaultException e)
        {
            R[13] = 0;
            Thumb = true;
            EnterLockup($"the reset vector table at 0x{table:X8} cannot be read ({e.Reason})");
        }
    }

    /// <summary>
    /// The current execution priority: the lowest group priority among active exceptions, boosted by
    /// BASEPRI, PRIMASK (to 0) and FAULTMASK (to -1). 256 in Thread mode with no boost.
    /// </summary>
    public int ExecutionPriority() => Math.Min(Nvic.HighestActiveGroupPriority(), PriorityBoost(includePrimask: true));

    /// <summary>
    /// Takes the highest-priority pending exception if it can preempt the current execution priority
    /// (stacking the context, fetching the vector). Returns true if it changed the PC.
    /// </summary>
    public bool CheckPendingExceptions()
    {
        if (LockedUp)
        {
            // Stay flagged so every later run stops again: a locked-up core executes nothing.
            ExceptionCheckNeeded = true;
            StopAfterCurrent(StopReason.Lockup);
            return false;
        }

        ExceptionCheckNeeded = false;

        int exception = Nvic.HighestPending();
        if (exception == 0 || Nvic.GroupPriority(exception) >= ExecutionPriority())
        {
            return false;
        }

        Sleeping = false;
        PushStack();
        if (!LockedUp)
        {
            ExceptionTaken(exception);
        }

        return true;
    }

    /// <summary>
    /// Raises a synchronous fault for the instruction at R15 (whose ITSTATE is in <see cref="ItState"/>):
    /// records the status bits, escalates a configurable fault to HardFault when it is disabled or cannot
    /// preempt (HFSR.FORCED), locks up when even HardFault cannot, otherwise takes it now.
    /// </summary>
    public void RaiseFault(FaultType type, uint faultAddress)
    {
        if (LockedUp)
        {
            return;
        }

        int exception = RecordFault(type, faultAddress);
        if (!PendFault(exception, $"{type} at 0x{R[15]:X8}"))
        {
            return;
        }

        Sleeping = false;
        int next = Nvic.HighestPending();
        PushStack();
        if (!LockedUp)
        {
            ExceptionTaken(next); // a stacking fault at HardFault priority locked up instead
        }
    }

    /// <summary>
    /// Exception return: the engine calls this when Handler-mode code writes an EXC_RETURN value to the
    /// PC (BX, POP/LDM/LDR into PC). Checks integrity (INVPC UsageFault on an illegal value), deactivates
    /// the handler, tail-chains into a pending exception that can now run, or unstacks the frame.
    /// </summary>
    public void ExceptionReturn(uint excReturn)
    {
        int returning = (int)(Ipsr & 0x1FF);
        int nestedActivation = Nvic.ActiveCount;
        uint onesMask = CpuModel.HasFpu ? 0x0FFFFFE0u : 0x0FFFFFF0u;
        uint kind = excReturn & 0xF;
        bool valid = (excReturn & onesMask) == onesMask && Nvic.IsActive(returning) && kind is 1 or 9 or 13;
        if (valid && kind != 1 && nestedActivation != 1 && !Scb.NonBaseThreadEnable)
        {
            valid = false;
        }

        Deactivate(returning);
        if (!valid)
        {
            ReturnFault(FaultType.InvalidPc, 0, excReturn);
            return;
        }

        // Tail-chaining: a pending exception that can preempt the context being returned to runs now,
        // on the frame that is already on the stack.
        int pending = Nvic.HighestPending();
        if (pending != 0 && Nvic.GroupPriority(pending) < ExecutionPriority())
        {
            R[14] = excReturn | 0xF0000000;
            ExceptionTaken(pending);
            return;
        }

        if (!PopStack(excReturn))
        {
            return;
        }

        bool toHandler = kind == 1;
        if (toHandler != (Ipsr != 0))
        {
            // The stacked IPSR disagrees with the mode EXC_RETURN named: INVPC on the restored context.
            RaiseFault(FaultType.InvalidPc, 0);
            return;
        }

        ClearExclusiveMonitor();
        _eventRegister = true;
        if (!toHandler && nestedActivation == 1 && Scb.SleepOnExit)
        {
            SleepUnlessWoken(wfe: false);
        }
    }

    /// <summary>Fault status registers for error reports (and the lockup reason, if any).</summary>
    public string DescribeFaultStatus()
    {
        string text = CpuModel.IsV6M ? "" : Scb.Faults.Describe() + "\n";
        return LockupReason is null ? text : text + $"locked up: {LockupReason}\n";
    }

    /// <summary>Called by the NVIC and the SCB whenever exception state changes.</summary>
    internal void OnExceptionStateChanged(bool newlyPending)
    {
        ExceptionCheckNeeded = true;
        if (newlyPending && Scb is { SevOnPend: true })
        {
            _eventRegister = true;
        }

        if (Sleeping && ShouldWake())
        {
            Sleeping = false;
            if (_sleepIsWfe)
            {
                _eventRegister = false;
            }
        }
    }

    /// <summary>AIRCR.SYSRESETREQ: end the run right after the requesting store so the machine resets promptly.</summary>
    internal void OnResetRequested()
    {
        ResetRequestPending = true;
        StopAfterCurrent(StopReason.Interrupted);
    }

    private void ResetSystemBlocks()
    {
        Nvic.Reset();
        Scb.Reset();
        SysTick.Reset();
        Mpu.Reset();
        FpControl.Reset();
        OnFpAccessChanged();
    }

    private int PriorityBoost(bool includePrimask)
    {
        int boost = 256;
        uint basepri = Basepri & Nvic.PriorityMask;
        if (basepri != 0)
        {
            boost = (int)basepri & Nvic.GroupMask;
        }

        if (includePrimask && Primask)
        {
            boost = 0;
        }

        if (Faultmask)
        {
            boost = -1;
        }

        return boost;
    }

    /// <summary>Sets the status bits of a fault and returns the exception that reports it before escalation.</summary>
    private int RecordFault(FaultType type, uint address)
    {
        var faults = Scb.Faults;
        (int exception, uint cfsr) = type switch
        {
            FaultType.UndefinedInstruction => (ExceptionNumber.UsageFault, FaultStatus.UndefInstr),
            FaultType.InvalidState => (ExceptionNumber.UsageFault, FaultStatus.InvState),
            FaultType.InvalidPc => (ExceptionNumber.UsageFault, FaultStatus.InvPc),
            FaultType.NoCoprocessor => (ExceptionNumber.UsageFault, FaultStatus.NoCp),
            FaultType.Unaligned => (ExceptionNumber.UsageFault, FaultStatus.Unaligned),
            FaultType.DivideByZero => (ExceptionNumber.UsageFault, FaultStatus.DivByZero),
            FaultType.PreciseBusError => (ExceptionNumber.BusFault, FaultStatus.PreciseErr | FaultStatus.BfarValid),
            FaultType.InstructionBusError => (ExceptionNumber.BusFault, FaultStatus.IBusErr),
            FaultType.MemManageData => (ExceptionNumber.MemManage, FaultStatus.DAccViol | FaultStatus.MmarValid),
            FaultType.MemManageInstruction => (ExceptionNumber.MemManage, FaultStatus.IAccViol),
            FaultType.BreakpointNoDebugger => (ExceptionNumber.HardFault, 0u),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown fault type"),
        };

        if (type == FaultType.BreakpointNoDebugger)
        {
            faults.Dfsr |= FaultStatus.Bkpt;
            faults.Hfsr |= FaultStatus.DebugEvt;
        }

        if (CpuModel.IsV6M)
        {
            return ExceptionNumber.HardFault; // ARMv6-M: every fault is a HardFault, with no status registers
        }

        faults.Cfsr |= cfsr;
        if ((cfsr & FaultStatus.BfarValid) != 0)
        {
            faults.Bfar = address;
        }

        if ((cfsr & FaultStatus.MmarValid) != 0)
        {
            faults.Mmfar = address;
        }

        return exception;
    }

    /// <summary>
    /// Pends a fault exception, escalating a configurable fault to HardFault (HFSR.FORCED) when it is
    /// disabled or cannot preempt. Returns false (after locking up) when even HardFault cannot preempt.
    /// </summary>
    private bool PendFault(int exception, string what)
    {
        int priority = ExecutionPriority();
        if (exception != ExceptionNumber.HardFault && (!Nvic.IsEnabled(exception) || Nvic.GroupPriority(exception) >= priority))
        {
            exception = ExceptionNumber.HardFault;
            if (!CpuModel.IsV6M)
            {
                Scb.Faults.Hfsr |= FaultStatus.Forced;
            }
        }

        if (exception == ExceptionNumber.HardFault && priority <= -1)
        {
            EnterLockup($"{what} while executing at priority {priority} ({ExceptionNumber.Name((int)Ipsr)})");
            return false;
        }

        Nvic.SetPending(exception, true);
        return true;
    }

    /// <summary>A fault detected during exception return (after deactivation): taken on the frame already stacked.</summary>
    private void ReturnFault(FaultType type, uint address, uint excReturn)
    {
        int exception = RecordFault(type, address);
        if (!PendFault(exception, $"{type} on exception return with EXC_RETURN 0x{excReturn:X8}"))
        {
            return;
        }

        R[14] = excReturn | 0xF0000000;
        ExceptionTaken(Nvic.HighestPending());
    }

    private void EnterLockup(string reason)
    {
        LockedUp = true;
        LockupReason = reason;
        Sleeping = false;
        R[15] = LockupAddress;
        ExceptionCheckNeeded = true;
        StopAfterCurrent(StopReason.Lockup);
    }

    private void Deactivate(int exception)
    {
        Nvic.SetActive(exception, false);
        if (exception != ExceptionNumber.Nmi)
        {
            Faultmask = false;
        }
    }

    /// <summary>Switches mode and CONTROL while keeping MSP and PSP where they belong (R13 is the active one).</summary>
    private void SetModeAndControl(uint ipsr, uint control)
    {
        uint msp = Msp;
        uint psp = Psp;
        Ipsr = ipsr;
        Control = control;
        Msp = msp;
        Psp = psp;
    }

    /// <summary>
    /// PushStack: saves R0-R3, R12, LR, the return address (R15) and xPSR on the current stack, 8-byte
    /// aligned when CCR.STKALIGN (or an FP frame) asks, with the alignment padding recorded in stacked
    /// xPSR bit 9; an extended frame also holds S0-S15 and FPSCR, or reserves their space (lazy). Sets
    /// LR to the EXC_RETURN value. Stacking errors pend a derived MemManage/BusFault.
    /// </summary>
    private void PushStack()
    {
        bool fpFrame = CpuModel.HasFpu && (Control & FpcaBit) != 0;
        uint frameSize = fpFrame ? 0x68u : 0x20u;
        bool forceAlign = fpFrame || Scb.StackAlign || CpuModel.IsV6M;
        uint sp = R[13];
        bool padded = forceAlign && (sp & 4) != 0;
        uint frame = (sp - frameSize) & (forceAlign ? ~7u : ~3u);
        bool privileged = Privileged;
        bool handler = Handler;
        bool usedPsp = UsingPsp;
        R[13] = frame;

        var errors = default(StackErrors);
        StackWrite(frame, R[0], privileged, ref errors);
        StackWrite(frame + 0x04, R[1], privileged, ref errors);
        StackWrite(frame + 0x08, R[2], privileged, ref errors);
        StackWrite(frame + 0x0C, R[3], privileged, ref errors);
        StackWrite(frame + 0x10, R[12], privileged, ref errors);
        StackWrite(frame + 0x14, R[14], privileged, ref errors);
        StackWrite(frame + 0x18, R[15] & ~1u, privileged, ref errors);
        StackWrite(frame + 0x1C, (Xpsr & ~(1u << 9)) | (padded ? 1u << 9 : 0), privileged, ref errors);

        if (fpFrame)
        {
            if (FpControl.LazyPreservation)
            {
                ReserveLazyFpFrame(frame + 0x20, privileged, handler);
            }
            else
            {
                for (int i = 0; i < 16; i++)
                {
                    StackWrite(frame + 0x20 + (uint)(4 * i), S[i], privileged, ref errors);
                }

                StackWrite(frame + 0x60, Fpscr, privileged, ref errors);
            }
        }

        if (CpuModel.HasFpu)
        {
            uint frameBit = fpFrame ? 0 : 0x10u;
            R[14] = handler ? 0xFFFFFFE1 | frameBit : 0xFFFFFFE9 | frameBit | (usedPsp ? 4u : 0);
        }
        else
        {
            R[14] = handler ? 0xFFFFFFF1 : 0xFFFFFFF9 | (usedPsp ? 4u : 0);
        }

        if (errors.Mpu)
        {
            PendDerivedFault(FaultStatus.MStkErr, ExceptionNumber.MemManage, "MemManage fault while stacking");
        }

        if (errors.Bus)
        {
            PendDerivedFault(FaultStatus.StkErr, ExceptionNumber.BusFault, "BusFault while stacking");
        }
    }

    /// <summary>
    /// ExceptionTaken: fetches the vector from the table at VTOR, enters Handler mode on MSP with IPSR =
    /// the exception, clears ITSTATE and CONTROL.FPCA, marks the exception active. A vector that cannot
    /// be read is a HardFault (HFSR.VECTTBL), or lockup if that was HardFault's own vector.
    /// </summary>
    private void ExceptionTaken(int exception)
    {
        while (true)
        {
            uint vector;
            try
            {
                vector = Bus.Read32((Scb.Vtor & ~0x7Fu) + (4 * (uint)exception));
            }
            catch (BusFaultException e)
            {
                if (!CpuModel.IsV6M)
                {
                    Scb.Faults.Hfsr |= FaultStatus.VectTbl;
                }

                if (exception is ExceptionNumber.HardFault or ExceptionNumber.Nmi || ExecutionPriority() <= -1)
                {
                    EnterLockup($"the vector of {ExceptionNumber.Name(exception)} cannot be read ({e.Reason})");
                    return;
                }

                // The exception stays pending; HardFault runs instead (and tail-chains to it if it can).
                Nvic.SetPending(ExceptionNumber.HardFault, true);
                exception = ExceptionNumber.HardFault;
                continue;
            }

            // Active first: a level input that is still high may then drop its pending state until return.
            Nvic.SetActive(exception, true);
            Nvic.SetPending(exception, false);
            SetModeAndControl((uint)exception, Control & ~(SpselBit | (CpuModel.HasFpu ? FpcaBit : 0)));
            R[15] = vector & ~1u;
            Thumb = (vector & 1) != 0;
            ItState = 0;
            _eventRegister = true;
            ClearExclusiveMonitor();
            ExceptionCheckNeeded = true;
            return;
        }
    }

    /// <summary>
    /// PopStack: restores R0-R3, R12, LR, PC and xPSR (and S0-S15/FPSCR from an extended frame unless
    /// the lazily reserved space was never filled), the mode, SPSEL and FPCA that EXC_RETURN names, and
    /// the stack pointer including the alignment padding. Returns false if unstacking faulted.
    /// </summary>
    private bool PopStack(uint excReturn)
    {
        bool toPsp = (excReturn & 0xF) == 13;
        bool fpFrame = CpuModel.HasFpu && (excReturn & 0x10) == 0;
        uint frameSize = fpFrame ? 0x68u : 0x20u;
        bool forceAlign = fpFrame || Scb.StackAlign || CpuModel.IsV6M;
        uint frame = toPsp ? Psp : Msp;
        bool privileged = Privileged;

        var errors = default(StackErrors);
        Span<uint> words = stackalloc uint[8];
        for (int i = 0; i < 8; i++)
        {
            words[i] = StackRead(frame + (uint)(4 * i), privileged, ref errors);
        }

        Span<uint> fp = stackalloc uint[17];
        bool restoreFp = fpFrame && !FpControl.LazyActive;
        if (restoreFp)
        {
            for (int i = 0; i < 17; i++)
            {
                fp[i] = StackRead(frame + 0x20 + (uint)(4 * i), privileged, ref errors);
            }
        }

        if (errors.Any)
        {
            if (errors.Mpu)
            {
                RecordDerived(FaultStatus.MUnstkErr);
            }

            if (errors.Bus)
            {
                RecordDerived(FaultStatus.UnstkErr);
            }

            ReturnFault(errors.Mpu ? FaultType.MemManageData : FaultType.PreciseBusError, frame, excReturn);
            return false;
        }

        R[0] = words[0];
        R[1] = words[1];
        R[2] = words[2];
        R[3] = words[3];
        R[12] = words[4];
        R[14] = words[5];
        uint psr = words[7];

        if (fpFrame)
        {
            if (FpControl.LazyActive)
            {
                FpControl.LazyActive = false; // the registers still hold the interrupted context's values
            }
            else
            {
                for (int i = 0; i < 16; i++)
                {
                    S[i] = fp[i];
                }

                Fpscr = fp[16];
            }
        }

        uint control = (Control & ~(SpselBit | FpcaBit)) | (toPsp ? SpselBit : 0);
        if (CpuModel.HasFpu && fpFrame)
        {
            control |= FpcaBit;
        }

        SetModeAndControl(psr & 0x1FF, control);
        uint newSp = (frame + frameSize) | (forceAlign && (psr & (1u << 9)) != 0 ? 4u : 0);
        if (toPsp)
        {
            Psp = newSp;
        }
        else
        {
            Msp = newSp;
        }

        uint apsrMask = CpuModel.HasDsp ? 0xF80F0000u : 0xF8000000u;
        if (CpuModel.IsV6M)
        {
            apsrMask = 0xF0000000u;
        }

        Apsr = (Apsr & ~apsrMask) | (psr & apsrMask);
        Thumb = (psr & (1u << 24)) != 0;
        ItState = CpuModel.IsV6M ? 0 : ((psr >> 25) & 3) | (((psr >> 10) & 0x3F) << 2);
        R[15] = words[6] & ~1u;
        return true;
    }

    private void StackWrite(uint address, uint value, bool privileged, ref StackErrors errors)
    {
        if (MpuEnabled && Mpu.Check(address, true, false, privileged, NegativePriority) == Mpu.Access.Denied)
        {
            errors.Mpu = true;
            return;
        }

        try
        {
            Bus.Write32(address, value);
        }
        catch (BusFaultException)
        {
            errors.Bus = true;
        }
    }

    private uint StackRead(uint address, bool privileged, ref StackErrors errors)
    {
        if (MpuEnabled && Mpu.Check(address, false, false, privileged, NegativePriority) == Mpu.Access.Denied)
        {
            errors.Mpu = true;
            return 0;
        }

        try
        {
            return Bus.Read32(address);
        }
        catch (BusFaultException)
        {
            errors.Bus = true;
            return 0;
        }
    }

    private void RecordDerived(uint cfsrBit)
    {
        if (!CpuModel.IsV6M)
        {
            Scb.Faults.Cfsr |= cfsrBit;
        }
    }

    /// <summary>A fault while stacking: recorded and pended; it preempts the handler being entered if its priority allows (late arrival), else escalates.</summary>
    private void PendDerivedFault(uint cfsrBit, int exception, string what)
    {
        RecordDerived(cfsrBit);
        _ = PendFault(CpuModel.IsV6M ? ExceptionNumber.HardFault : exception, what);
    }

    /// <summary>HardFault, NMI or FAULTMASK: the MPU is bypassed unless HFNMIENA.</summary>
    private bool NegativePriority => Faultmask || Ipsr is ExceptionNumber.Nmi or ExceptionNumber.HardFault;

    private struct StackErrors
    {
        public bool Mpu;
        public bool Bus;

        public readonly bool Any => Mpu || Bus;
    }
}
