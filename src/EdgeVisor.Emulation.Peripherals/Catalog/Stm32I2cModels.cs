using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.I2c;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>The STM32F4 I2C (v1) controller.</summary>
internal static class Stm32I2cModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
        ["stm32-i2c"] = new(
            "STM32F4 I2C (v1) controller, master mode",
            ["event", "error"],
            (d, c, w) => new Stm32I2c(d.Name, c.Clock, c.Services.Find<IStm32Clocks>(), w.Line("event"), w.Line("error"))),
    };
}
