namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>The STM32F4 I2C (v1) controller.</summary>
internal static class Stm32I2cModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
    };
}
