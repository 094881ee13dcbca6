using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals;

/// <summary>What a peripheral model is built with: the machine's clock, its interrupt wiring and the console.</summary>
public sealed class PeripheralContext
{
    public PeripheralContext(VirtualClock clock, InterruptRouter interrupts)
    {
        Clock = clock;
        Interrupts = interrupts;
    }

    /// <summary>Virtual time; device clocks on MPS2 run at the core clock, so one cycle is one device clock tick.</summary>
    public VirtualClock Clock { get; }

    /// <summary>Where interrupt outputs go; board files name the lines.</summary>
    public InterruptRouter Interrupts { get; }

    /// <summary>The console sink: the UART marked "console" transmits here (null: output is dropped).</summary>
    public Stream? ConsoleOutput { get; init; }

    /// <summary>The address space, for models that access memory themselves (the bit-band alias).</summary>
    public AddressSpace? Bus { get; init; }

    /// <summary>
    /// Objects models of one board share, by type: a model registers what others need (the STM32 RCC its clock
    /// tree, EXTI its line inputs) and later models in the board file look it up. Board order decides who comes first.
    /// </summary>
    public BoardServices Services { get; } = new();
}
