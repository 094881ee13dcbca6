namespace EdgeVisor.Emulation.Peripherals.Stm32.Gpio;

/// <summary>
/// Reset values that differ between ports: on the F4 the debug pins start in their alternate function with pulls
/// (port A: MODER 0xA8000000, OSPEEDR 0x0C000000, PUPDR 0x64000000; port B: 0x00000280, 0x000000C0, 0x00000100).
/// The board file gives them per port; other ports reset to 0.
/// </summary>
public sealed record Stm32GpioResetValues(uint Moder, uint Ospeedr, uint Pupdr);
