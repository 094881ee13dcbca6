namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The System Control Block (0xE000ED00..0xE000ED8F) plus ICTR/ACTLR and CPACR: identification,
/// interrupt control and state (ICSR), vector table offset, application interrupt and reset control,
/// sleep and configuration control, system handler priorities and state, fault status, and the
/// ARMv7-M feature ID registers. ARMv6-M implements the subset its architecture defines.
/// </summary>
public sealed class SystemControlBlock
{
    // SCR bits.
    private const uint SleepOnExitBit = 1u << 1;
    private const uint SleepDeepBit = 1u << 2;
    private const uint SevOnPendBit = 1u << 4;

    // CCR bits.
    private const uint NonBaseThreadEnableBit = 1u << 0;
    private const uint UserSetMPendBit = 1u << 1;
    private const uint UnalignTrapBit = 1u << 3;
    private const uint Div0TrapBit = 1u << 4;
    private const uint BfhfNmIgnBit = 1u << 8;
    private const uint StkAlignBit = 1u << 9;

    // ICSR bits.
    private const uint NmiPendSet = 1u << 31;
    private const uint PendSvSet = 1u << 28;
    private const uint PendSvClr = 1u << 27;
    private const uint PendStSet = 1u << 26;
    private const uint PendStClr = 1u << 25;
    private const uint IsrPending = 1u << 22;
    private const uint RetToBase = 1u << 11;

    // AIRCR.
    private const uint VectKeyWrite = 0x05FA;
    private const uint VectKeyRead = 0xFA05;
    private const uint SysResetReqBit = 1u << 2;
    private const uint VectClrActiveBit = 1u << 1;
    private const uint VectResetBit = 1u << 0;

    // ARMv7-M feature ID registers (0xE000ED40..0xE000ED70): ID_PFR0/1, ID_DFR0, ID_AFR0, ID_MMFR0-3,
    // ID_ISAR0-4, with the values qemu-system-arm 7.2 reports for its Cortex-M3 and M4.
    private static readonly uint[] FeatureIds =
    [
        0x00000030, 0x00000200, 0x00100000, 0x00000000,
        0x00000030, 0x00000000, 0x00000000, 0x00000000,
        0x01141110, 0x02111000, 0x21112231, 0x01111110, 0x01310102,
    ];

    private readonly CortexMCpu _cpu;
    private readonly Nvic _nvic;
    private readonly bool _v6m;
    private uint _scr;
    private uint _ccr;
    private uint _cpacr;
    private uint _actlr;

    internal SystemControlBlock(CortexMCpu cpu, Nvic nvic)
    {
        _cpu = cpu;
        _nvic = nvic;
        _v6m = cpu.CpuModel.IsV6M;
    }

    /// <summary>Raised when the guest writes AIRCR with SYSRESETREQ (or VECTRESET) and the right key. The machine resets.</summary>
    public event Action? ResetRequested;

    /// <summary>Vector Table Offset Register; bits [6:0] are always zero.</summary>
    public uint Vtor { get; set; }

    public FaultStatus Faults { get; } = new();

    /// <summary>SCR.SLEEPONEXIT: returning from the last active handler to Thread mode sleeps.</summary>
    public bool SleepOnExit => (_scr & SleepOnExitBit) != 0;

    /// <summary>SCR.SLEEPDEEP: the sleep requested is deep sleep (modelled like ordinary sleep).</summary>
    public bool SleepDeep => (_scr & SleepDeepBit) != 0;

    /// <summary>SCR.SEVONPEND: an interrupt becoming pending is a wake-up event for WFE.</summary>
    public bool SevOnPend => (_scr & SevOnPendBit) != 0;

    /// <summary>CCR.NONBASETHRDENA: Thread mode may be entered with other exceptions active.</summary>
    public bool NonBaseThreadEnable => (_ccr & NonBaseThreadEnableBit) != 0;

    /// <summary>CCR.USERSETMPEND: unprivileged code may write STIR.</summary>
    public bool UserSetPend => (_ccr & UserSetMPendBit) != 0;

    /// <summary>CCR.STKALIGN: exception entry aligns the frame to 8 bytes.</summary>
    public bool StackAlign => (_ccr & StkAlignBit) != 0;

    /// <summary>CCR.BFHFNMIGN (stored; precise bus faults at negative priority are not ignored by this model).</summary>
    public bool BusFaultIgnoreAtNegativePriority => (_ccr & BfhfNmIgnBit) != 0;

    /// <summary>CPACR (0xE000ED88). Only CP10/CP11 are implemented, and only with an FPU.</summary>
    public uint Cpacr => _cpacr;

    /// <summary>CPACR.CP10 access: 0 denied, 1 privileged only, 3 full.</summary>
    public int FpAccess => (int)((_cpacr >> 20) & 3);

    internal void Reset()
    {
        Vtor = _cpu.Configuration.InitialVtor & VtorMask;
        _scr = 0;
        _ccr = _v6m ? UnalignTrapBit | StkAlignBit : StkAlignBit;
        _cpacr = 0;
        _actlr = 0;
        Faults.Reset();
        ApplyCcr();
    }

    private uint VtorMask => _v6m && !_cpu.CpuModel.HasMpu ? 0 : 0xFFFFFF80;

    internal bool TryRead(uint offset, out uint value)
    {
        uint? result = offset switch
        {
            0x004 => _v6m ? 0 : (uint)((_nvic.ExternalInterrupts + 31) / 32) - 1, // ICTR
            0x008 => _actlr,
            0xD00 => _cpu.CpuModel.CpuId,
            0xD04 => ReadIcsr(),
            0xD08 => Vtor,
            0xD0C => (VectKeyRead << 16) | (_v6m ? 0 : (uint)_nvic.PriorityGroup << 8),
            0xD10 => _scr,
            0xD14 => _ccr,
            0xD18 or 0xD1C or 0xD20 => ReadShpr(offset),
            0xD24 => ReadShcsr(),
            0xD28 => _v6m ? 0 : Faults.Cfsr,
            0xD2C => _v6m ? 0 : Faults.Hfsr,
            0xD30 => Faults.Dfsr,
            0xD34 => _v6m ? 0 : Faults.Mmfar,
            0xD38 => _v6m ? 0 : Faults.Bfar,
            0xD3C => _v6m ? 0 : Faults.Afsr,
            >= 0xD40 and <= 0xD70 => _v6m ? 0 : FeatureIds[(offset - 0xD40) / 4],
            0xD88 => _cpacr,
            _ => null,
        };
        value = result ?? 0;
        return result.HasValue;
    }

    internal bool TryWrite(uint offset, uint value, uint lanes)
    {
        switch (offset)
        {
            case 0x008:
                _actlr = Merge(_actlr, value, lanes) & 0x3FF;
                return true;
            case 0xD04:
                WriteIcsr(value & lanes);
                return true;
            case 0xD08:
                Vtor = Merge(Vtor, value, lanes) & VtorMask;
                return true;
            case 0xD0C:
                WriteAircr(value, lanes);
                return true;
            case 0xD10:
                _scr = Merge(_scr, value, lanes) & (SleepOnExitBit | SleepDeepBit | SevOnPendBit);
                return true;
            case 0xD14:
                if (!_v6m)
                {
                    _ccr = Merge(_ccr, value, lanes) & (NonBaseThreadEnableBit | UserSetMPendBit | UnalignTrapBit | Div0TrapBit | BfhfNmIgnBit | StkAlignBit);
                    ApplyCcr();
                }

                return true;
            case 0xD18 or 0xD1C or 0xD20:
                WriteShpr(offset, value, lanes);
                return true;
            case 0xD24:
                WriteShcsr(Merge(ReadShcsr(), value, lanes));
                return true;
            case 0xD28:
                Faults.Cfsr &= ~(value & lanes);
                return true;
            case 0xD2C:
                Faults.Hfsr &= ~(value & lanes);
                return true;
            case 0xD30:
                Faults.Dfsr &= ~(value & lanes);
                return true;
            case 0xD34:
                Faults.Mmfar = Merge(Faults.Mmfar, value, lanes);
                return true;
            case 0xD38:
                Faults.Bfar = Merge(Faults.Bfar, value, lanes);
                return true;
            case 0xD3C:
                Faults.Afsr &= ~(value & lanes);
                return true;
            case 0xD88:
                if (_cpu.CpuModel.HasFpu)
                {
                    uint cp10 = (value >> 20) & 3;
                    uint merged = Merge(_cpacr, (cp10 << 20) | (cp10 << 22), lanes) & 0x00F00000;
                    _cpacr = merged;
                    _cpu.OnFpAccessChanged();
                }

                return true;
            default:
                return offset is 0x004 or 0xD00 or (>= 0xD40 and <= 0xD70);
        }
    }

    internal static uint Merge(uint old, uint value, uint lanes) => (old & ~lanes) | (value & lanes);

    private void ApplyCcr()
    {
        _cpu.UnalignedTrap = (_ccr & UnalignTrapBit) != 0;
        _cpu.DivideByZeroTrap = (_ccr & Div0TrapBit) != 0;
    }

    private uint ReadIcsr()
    {
        uint value = _cpu.Ipsr & 0x1FF;
        int pending = _nvic.HighestPending();
        value |= (uint)(pending & 0x1FF) << 12;
        if (_nvic.AnyExternalPending())
        {
            value |= IsrPending;
        }

        if (_nvic.IsPending(ExceptionNumber.Nmi))
        {
            value |= NmiPendSet;
        }

        if (_nvic.IsPending(ExceptionNumber.PendSV))
        {
            value |= PendSvSet;
        }

        if (_nvic.IsPending(ExceptionNumber.SysTick))
        {
            value |= PendStSet;
        }

        // RETTOBASE: no active exception other than the one IPSR names (UNKNOWN in Thread mode; set there, as QEMU does).
        int others = _nvic.ActiveCount - (_nvic.IsActive((int)_cpu.Ipsr) ? 1 : 0);
        if (!_v6m && others == 0)
        {
            value |= RetToBase;
        }

        return value;
    }

    private void WriteIcsr(uint value)
    {
        if ((value & NmiPendSet) != 0)
        {
            _nvic.SetPending(ExceptionNumber.Nmi, true);
        }

        if ((value & PendSvSet) != 0)
        {
            _nvic.SetPending(ExceptionNumber.PendSV, true);
        }
        else if ((value & PendSvClr) != 0)
        {
            _nvic.SetPending(ExceptionNumber.PendSV, false);
        }

        if ((value & PendStSet) != 0)
        {
            _nvic.SetPending(ExceptionNumber.SysTick, true);
        }
        else if ((value & PendStClr) != 0)
        {
            _nvic.SetPending(ExceptionNumber.SysTick, false);
        }
    }

    private void WriteAircr(uint value, uint lanes)
    {
        // The key lives in the top halfword; a write without it (including byte writes) is ignored.
        if ((lanes & 0xFFFF0000) != 0xFFFF0000 || (value >> 16) != VectKeyWrite)
        {
            return;
        }

        if (!_v6m && (lanes & 0x0700) == 0x0700)
        {
            _nvic.PriorityGroup = (int)((value >> 8) & 7);
        }

        if ((value & VectClrActiveBit) != 0)
        {
            _nvic.ClearAllActive();
        }

        if ((value & SysResetReqBit) != 0 || (!_v6m && (value & VectResetBit) != 0))
        {
            _cpu.OnResetRequested();
            ResetRequested?.Invoke();
        }
    }

    // SHPR1..3 hold one priority byte per system exception 4..15: byte (n - 4) from 0xD18.
    private uint ReadShpr(uint offset)
    {
        if (_v6m && offset == 0xD18)
        {
            return 0;
        }

        uint value = 0;
        int first = ExceptionNumber.MemManage + (int)(offset - 0xD18);
        for (int i = 0; i < 4; i++)
        {
            int e = first + i;
            int p = _nvic.Priority(e);
            if (p is >= 0 and < 256)
            {
                value |= (uint)p << (8 * i);
            }
        }

        return value;
    }

    private void WriteShpr(uint offset, uint value, uint lanes)
    {
        if (_v6m && offset == 0xD18)
        {
            return;
        }

        int first = ExceptionNumber.MemManage + (int)(offset - 0xD18);
        for (int i = 0; i < 4; i++)
        {
            if (((lanes >> (8 * i)) & 0xFF) != 0)
            {
                int e = first + i;
                if (_v6m && e is not (ExceptionNumber.SVCall or ExceptionNumber.PendSV or ExceptionNumber.SysTick))
                {
                    continue;
                }

                _nvic.SetPriority(e, (int)(value >> (8 * i)));
            }
        }
    }

    // SHCSR: bit positions of each system exception's active, pended and enable flags.
    private static readonly (int Exception, int Active, int Pended, int Enable)[] ShcsrLayout =
    [
        (ExceptionNumber.MemManage, 0, 13, 16),
        (ExceptionNumber.BusFault, 1, 14, 17),
        (ExceptionNumber.UsageFault, 3, 12, 18),
        (ExceptionNumber.SVCall, 7, 15, -1),
        (ExceptionNumber.DebugMonitor, 8, -1, -1),
        (ExceptionNumber.PendSV, 10, -1, -1),
        (ExceptionNumber.SysTick, 11, -1, -1),
    ];

    private uint ReadShcsr()
    {
        if (_v6m)
        {
            return _nvic.IsPending(ExceptionNumber.SVCall) ? 1u << 15 : 0;
        }

        uint value = 0;
        foreach (var (e, active, pended, enable) in ShcsrLayout)
        {
            value |= _nvic.IsActive(e) ? 1u << active : 0;
            value |= pended >= 0 && _nvic.IsPending(e) ? 1u << pended : 0;
            value |= enable >= 0 && _nvic.IsEnabled(e) ? 1u << enable : 0;
        }

        return value;
    }

    private void WriteShcsr(uint value)
    {
        if (_v6m)
        {
            _nvic.SetPending(ExceptionNumber.SVCall, (value & (1u << 15)) != 0);
            return;
        }

        foreach (var (e, active, pended, enable) in ShcsrLayout)
        {
            if (_nvic.IsActive(e) != ((value & (1u << active)) != 0))
            {
                _nvic.SetActive(e, (value & (1u << active)) != 0);
            }

            if (pended >= 0)
            {
                _nvic.SetPending(e, (value & (1u << pended)) != 0);
            }

            if (enable >= 0)
            {
                _nvic.SetEnabled(e, (value & (1u << enable)) != 0);
            }
        }
    }
}
