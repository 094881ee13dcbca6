using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Timers;

/// <summary>
/// A timer's interrupt outputs. TIM1/TIM8 have four vectors (break, update, trigger/commutation, capture/compare),
/// each shared with a reduced timer (TIM1_UP_TIM10, ...); every other timer has one global vector. A board wires
/// whichever outputs the timer has; the rest stay unconnected.
/// </summary>
internal sealed record TimerInterrupts(InterruptLine Global, InterruptLine Update, InterruptLine Compare, InterruptLine Trigger, InterruptLine Break)
{
    /// <summary>The output names a board file may wire.</summary>
    public static readonly IReadOnlyList<string> Names = ["global", "update", "compare", "trigger", "break"];
}
