namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>STM32F4 USARTs and timers.</summary>
internal static class Stm32SerialTimerModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
    };
}
