namespace EdgeVisor.Emulation.Peripherals.Stm32.Gpio;

/// <summary>A pin's GPIOx_MODER setting.</summary>
public enum Stm32PinMode
{
    /// <summary>Input (the reset mode of most pins).</summary>
    Input = 0,

    /// <summary>General-purpose output, push-pull or open drain per OTYPER.</summary>
    Output = 1,

    /// <summary>Alternate function: the peripheral AFRL/AFRH selects drives the pin, not the port.</summary>
    Alternate = 2,

    /// <summary>Analog: the digital input is off (IDR reads 0) and the pull resistors are disconnected.</summary>
    Analog = 3,
}
