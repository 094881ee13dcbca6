namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// WFI, WFE, SEV and SVC. Sleeping costs nothing: the engine sees <see cref="Sleeping"/> at the block
/// boundary and fast-forwards virtual time; a device or timer that pends an interrupt clears it.
/// </summary>
public sealed partial class CortexMCpu
{
    /// <summary>
    /// WFI: sleeps unless an exception is already pending that would preempt if PRIMASK were clear
    /// (WFI wakes on such an interrupt even while PRIMASK masks it; execution then continues after WFI).
    /// </summary>
    public void WaitForInterrupt() => SleepUnlessWoken(wfe: false);

    /// <summary>WFE: consumes the event register if set; otherwise sleeps until an event or an exception that can preempt.</summary>
    public void WaitForEvent()
    {
        if (_eventRegister)
        {
            _eventRegister = false;
            return;
        }

        SleepUnlessWoken(wfe: true);
    }

    /// <summary>SEV: sets the event register (single core: the next WFE falls through).</summary>
    public void SendEvent()
    {
        _eventRegister = true;
        if (Sleeping && _sleepIsWfe)
        {
            Sleeping = false;
            _eventRegister = false;
        }
    }

    /// <summary>
    /// SVC: pends SVCall, taken at the next boundary (the engine ends the block after SVC, so the stacked
    /// return address is the next instruction). SVC at a priority where SVCall cannot preempt escalates
    /// to HardFault, or locks up at HardFault/NMI priority.
    /// </summary>
    public void SupervisorCall()
    {
        _ = PendFault(ExceptionNumber.SVCall, "SVC");
    }

    private void SleepUnlessWoken(bool wfe)
    {
        _sleepIsWfe = wfe;
        Sleeping = true;
        if (ShouldWake())
        {
            Sleeping = false;
            if (wfe)
            {
                _eventRegister = false;
            }
        }
    }

    /// <summary>The wake-up rule for the current kind of sleep.</summary>
    private bool ShouldWake()
    {
        if (_sleepIsWfe && _eventRegister)
        {
            return true;
        }

        int pending = Nvic.HighestPending();
        if (pending == 0)
        {
            return false;
        }

        int priority = _sleepIsWfe
            ? ExecutionPriority()
            : Math.Min(Nvic.HighestActiveGroupPriority(), PriorityBoost(includePrimask: false));
        return Nvic.GroupPriority(pending) < priority;
    }
}
