using EdgeVisor.Emulation.CortexM;

namespace EdgeVisor.Emulation.Machines.Debugging;

/// <summary>
/// Single-steps a <see cref="Machine"/>: exactly one instruction (or one exception entry) with the machine's
/// clock events run after it, so timers advance under stepping as they do when running. A core asleep in
/// WFI/WFE first sleeps, with time fast-forwarded through clock events, until something wakes it; the step then
/// lands on the first instruction of the handler that woke it.
/// </summary>
internal sealed class MachineStepper
{
    private readonly Machine _machine;

    public MachineStepper(Machine machine) => _machine = machine;

    private CortexMCpu Cpu => _machine.Cpu;

    /// <summary>Steps once; null when <paramref name="cancellation"/> ended a wait for the core to wake.</summary>
    public StopReason? Step(CancellationToken cancellation)
    {
        if (Cpu.Sleeping && !WaitUntilAwake(cancellation))
        {
            return null;
        }

        var reason = Cpu.Step();
        _machine.Clock.RunDueEvents();
        if (Cpu.ResetRequestPending)
        {
            // The instruction (or a debugger write to AIRCR before it) asked for a system reset: the step ends
            // at the reset vector. The core's "stop to reset" request is not an interrupt for the debugger.
            _machine.Reset();
            return StopReason.Step;
        }

        return reason == StopReason.Interrupted ? StopReason.Step : reason;
    }

    // Runs the machine's slices (which only fast-forward time while the core sleeps) until an interrupt wakes it.
    private bool WaitUntilAwake(CancellationToken cancellation)
    {
        while (Cpu.Sleeping)
        {
            if (cancellation.IsCancellationRequested)
            {
                return false;
            }

            ulong next = _machine.Clock.NextEventAt;
            if (next == ulong.MaxValue)
            {
                // Nothing scheduled: only console input could wake the core; poll for it without spinning.
                if (cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20)))
                {
                    return false;
                }

                _machine.RunSlice(_machine.Clock.Now);
                continue;
            }

            _machine.RunSlice(next);
        }

        return true;
    }
}
