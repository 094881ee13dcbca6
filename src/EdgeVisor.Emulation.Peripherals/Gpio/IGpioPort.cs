namespace EdgeVisor.Emulation.Peripherals.Gpio;

/// <summary>A peripheral that exposes digital lines to the outside world (GPIO ports, LEDs, buttons, timer inputs).</summary>
public interface IGpioPort
{
    /// <summary>The peripheral's instance name ("gpio0").</summary>
    string Name { get; }

    /// <summary>The lines, indexed by pin number.</summary>
    IReadOnlyList<GpioPin> Pins { get; }
}
