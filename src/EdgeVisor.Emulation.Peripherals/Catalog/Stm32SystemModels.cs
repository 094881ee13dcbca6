namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>STM32F4 system models: RCC, FLASH interface, PWR, GPIO ports, EXTI, SYSCFG (owned by the stm32-sys work).</summary>
internal static class Stm32SystemModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
    };
}
