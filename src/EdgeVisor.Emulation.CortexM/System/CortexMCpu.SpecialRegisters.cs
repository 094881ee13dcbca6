namespace EdgeVisor.Emulation.CortexM;

/// <summary>Which system register a debugger reads or writes (GDB's "system" feature).</summary>
public enum SystemRegister
{
    Msp,
    Psp,
    Primask,
    Basepri,
    Faultmask,
    Control,
}

/// <summary>MRS/MSR and CPS: the special registers with the architecture's privilege and mask rules.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>
    /// MRS: reads special register <paramref name="sysm"/> (0-7 the xPSR views: bit 0 includes IPSR, bit 2
    /// clear includes APSR; 8 MSP, 9 PSP, 16 PRIMASK,
    /// 17 BASEPRI, 18 BASEPRI_MAX, 19 FAULTMASK, 20 CONTROL). EPSR bits always read as zero; the stack
    /// pointers read as zero from unprivileged code; registers the model lacks read as zero.
    /// </summary>
    public uint ReadSpecialRegister(int sysm)
    {
        switch (sysm)
        {
            case >= 0 and <= 7:
                uint value = 0;
                if ((sysm & 1) != 0)
                {
                    value |= Ipsr & 0x1FF;
                }

                if ((sysm & 4) == 0)
                {
                    value |= Apsr & (CpuModel.HasDsp ? 0xF80F0000u : CpuModel.IsV6M ? 0xF0000000u : 0xF8000000u);
                }

                return value;
            case 8:
                return Privileged ? Msp : 0;
            case 9:
                return Privileged ? Psp : 0;
            case 16:
                return Primask ? 1u : 0;
            case 17 or 18:
                return CpuModel.IsV6M ? 0 : Basepri;
            case 19:
                return !CpuModel.IsV6M && Faultmask ? 1u : 0;
            case 20:
                return Control & (CpuModel.HasFpu ? 7u : 3u);
            default:
                return 0;
        }
    }

    /// <summary>
    /// MSR: writes special register <paramref name="sysm"/>. For the xPSR views <paramref name="mask"/> is the
    /// instruction's mask field: bit 1 writes N,Z,C,V,Q, bit 0 writes GE (DSP only). Writes other than APSR
    /// are ignored from unprivileged code; BASEPRI_MAX only raises the priority; FAULTMASK cannot be set at
    /// priority -1 or above; CONTROL.SPSEL changes only in Thread mode.
    /// </summary>
    public void WriteSpecialRegister(int sysm, uint value, int mask)
    {
        if (sysm is >= 0 and <= 7)
        {
            if ((sysm & 4) != 0)
            {
                return; // the xPSR views without APSR have nothing writable
            }

            if (CpuModel.IsV6M)
            {
                Apsr = (Apsr & 0x0FFFFFFF) | (value & 0xF0000000);
                return;
            }

            uint written = ((mask & 2) != 0 ? 0xF8000000u : 0) | ((mask & 1) != 0 && CpuModel.HasDsp ? 0x000F0000u : 0);
            Apsr = (Apsr & ~written) | (value & written);
            return;
        }

        if (!Privileged)
        {
            return;
        }

        switch (sysm)
        {
            case 8:
                Msp = value;
                break;
            case 9:
                Psp = value;
                break;
            case 16:
                Primask = (value & 1) != 0;
                OnMaskChanged();
                break;
            case 17 when !CpuModel.IsV6M:
                Basepri = value & Nvic.PriorityMask;
                OnMaskChanged();
                break;
            case 18 when !CpuModel.IsV6M:
                uint raised = value & Nvic.PriorityMask;
                if (raised != 0 && (raised < Basepri || Basepri == 0))
                {
                    Basepri = raised;
                    OnMaskChanged();
                }

                break;
            case 19 when !CpuModel.IsV6M:
                if (ExecutionPriority() > -1 || (value & 1) == 0)
                {
                    Faultmask = (value & 1) != 0;
                    OnMaskChanged();
                }

                break;
            case 20:
                WriteControl(value);
                break;
        }
    }

    /// <summary>CPSID/CPSIE: sets or clears PRIMASK (i) and FAULTMASK (f); ignored from unprivileged code.</summary>
    public void ChangeProcessorState(bool disable, bool affectI, bool affectF)
    {
        if (!Privileged)
        {
            return;
        }

        if (affectI)
        {
            Primask = disable;
        }

        if (affectF && !CpuModel.IsV6M && (!disable || ExecutionPriority() > -1))
        {
            Faultmask = disable;
        }

        OnMaskChanged();
    }

    /// <summary>Debugger read of a system register (no privilege rules).</summary>
    public uint GetSystemRegister(SystemRegister register) => register switch
    {
        SystemRegister.Msp => Msp,
        SystemRegister.Psp => Psp,
        SystemRegister.Primask => Primask ? 1u : 0,
        SystemRegister.Basepri => Basepri,
        SystemRegister.Faultmask => Faultmask ? 1u : 0,
        SystemRegister.Control => Control,
        _ => throw new ArgumentOutOfRangeException(nameof(register), register, "unknown system register"),
    };

    /// <summary>
    /// Debugger write of a system register: no privilege rules, but the core's derived state follows
    /// (CONTROL.SPSEL swaps the stack pointer in R13; mask changes re-evaluate pending exceptions).
    /// </summary>
    public void SetSystemRegister(SystemRegister register, uint value)
    {
        switch (register)
        {
            case SystemRegister.Msp:
                Msp = value;
                break;
            case SystemRegister.Psp:
                Psp = value;
                break;
            case SystemRegister.Primask:
                Primask = (value & 1) != 0;
                break;
            case SystemRegister.Basepri:
                Basepri = value & Nvic.PriorityMask;
                break;
            case SystemRegister.Faultmask:
                Faultmask = (value & 1) != 0;
                break;
            case SystemRegister.Control:
                SetModeAndControl(Ipsr, value & (CpuModel.HasFpu ? 7u : 3u));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(register), register, "unknown system register");
        }

        OnMaskChanged();
    }

    private void WriteControl(uint value)
    {
        uint control = Control;
        if (!(CpuModel.IsV6M && !CpuModel.HasMpu))
        {
            control = (control & ~1u) | (value & 1); // nPRIV (the Cortex-M0 has no unprivileged mode)
        }

        if (!Handler)
        {
            control = (control & ~SpselBit) | (value & SpselBit);
        }

        if (CpuModel.HasFpu)
        {
            control = (control & ~FpcaBit) | (value & FpcaBit);
        }

        SetModeAndControl(Ipsr, control);
    }

    private void OnMaskChanged()
    {
        ExceptionCheckNeeded = true;
        if (Sleeping && ShouldWake())
        {
            Sleeping = false;
        }
    }
}
