using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.Exti;
using EdgeVisor.Emulation.Peripherals.Stm32.Flash;
using EdgeVisor.Emulation.Peripherals.Stm32.Gpio;
using EdgeVisor.Emulation.Peripherals.Stm32.Pwr;
using EdgeVisor.Emulation.Peripherals.Stm32.Rcc;
using EdgeVisor.Emulation.Peripherals.Stm32.Syscfg;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>
/// STM32F4 system models: RCC, FLASH interface, PWR, GPIO ports, EXTI, SYSCFG (owned by the stm32-sys work).
/// They find each other through the board's services, so the board file lists RCC first and EXTI before SYSCFG
/// before the GPIO ports.
/// </summary>
internal static class Stm32SystemModels
{
    private static readonly string[] ExtiOutputs = [.. Enumerable.Range(0, Stm32Exti.LineCount).Select(i => $"line{i}")];

    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
        ["stm32-rcc"] = new(
            "STM32F4 reset and clock control (clock tree for the timers, USARTs and I2C)",
            ["interrupt"],
            (d, c, w) =>
            {
                var rcc = new Stm32Rcc(d.Name, c.Clock, w.Line("interrupt"), new PropertyReader(d).Number("hseHz", 8_000_000));
                c.Services.Add<IStm32Clocks>(rcc);
                return rcc;
            }),
        ["stm32-flash"] = new(
            "STM32F4 flash interface (wait states, unlock, program and erase of the flash array)",
            ["interrupt"],
            (d, c, w) =>
            {
                var p = new PropertyReader(d);
                return new Stm32FlashInterface(d.Name, c.Bus, w.Line("interrupt"), p.Number("array", 0x08000000), p.Number("alias", 0x00000000));
            }),
        ["stm32-pwr"] = new("STM32F4 power controller (voltage scaling, backup domain access)", [], (d, _, _) => new Stm32Pwr(d.Name)),
        ["stm32-exti"] = new(
            "STM32F4 external interrupt/event controller (23 lines)",
            ExtiOutputs,
            (d, c, w) =>
            {
                var exti = new Stm32Exti(d.Name, [.. ExtiOutputs.Select(w.Line)]);
                c.Services.Add(exti);
                return exti;
            }),
        ["stm32-syscfg"] = new(
            "STM32F4 system configuration (EXTI line routing, memory remap, compensation cell)",
            [],
            (d, c, _) =>
            {
                var syscfg = new Stm32Syscfg(d.Name, c.Services.Find<Stm32Exti>());
                c.Services.Add(syscfg);
                return syscfg;
            }),
        ["stm32-gpio"] = new(
            "STM32F4 GPIO port (16 pins)",
            [],
            (d, c, _) =>
            {
                var p = new PropertyReader(d);
                var resets = new Stm32GpioResetValues(p.Number("moderReset", 0), p.Number("ospeedrReset", 0), p.Number("pupdrReset", 0));
                return new Stm32GpioPort(d.Name, c.Clock, PortIndex(d, p), c.Services.Find<Stm32Syscfg>(), resets);
            }),
    };

    /// <summary>
    /// The port's number for SYSCFG_EXTICR (A = 0): the "port" property (3 for port D), else the letter of a name
    /// "gpioa" … "gpiok". A port named otherwise without the property is not routed to EXTI (-1).
    /// </summary>
    private static int PortIndex(PeripheralDescription d, PropertyReader p)
    {
        uint fromProperty = p.Number("port", uint.MaxValue);
        if (fromProperty != uint.MaxValue)
        {
            return (int)fromProperty;
        }

        char letter = char.ToUpperInvariant(d.Name[^1]);
        bool named = d.Name.Length == 5 && d.Name.StartsWith("gpio", StringComparison.OrdinalIgnoreCase) && letter is >= 'A' and <= 'K';
        return named ? letter - 'A' : -1;
    }
}
