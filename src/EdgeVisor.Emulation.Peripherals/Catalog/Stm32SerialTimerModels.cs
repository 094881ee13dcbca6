using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.Timers;
using EdgeVisor.Emulation.Peripherals.Stm32.Usart;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>
/// STM32F4 USARTs and timers. Both take their clock from the board's <see cref="IStm32Clocks"/> (registered by RCC,
/// which comes earlier in the board file) on the APB the "apb" property names; without RCC they run at the core clock.
/// </summary>
internal static class Stm32SerialTimerModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
        ["stm32-usart"] = new(
            "STM32F4 USART/UART (properties: apb 1|2, uart true for UART4/5, console)",
            ["interrupt"],
            (d, c, w) =>
            {
                var p = new PropertyReader(d);
                int apb = Apb(d.Name, p);
                var clocks = c.Services.Find<IStm32Clocks>();
                Func<ulong> pclk = clocks is null ? () => c.Clock.FrequencyHz : () => clocks.PclkHz(apb);
                return new Stm32Usart(
                    d.Name,
                    c.Clock,
                    pclk,
                    PeripheralCatalog.IsConsole(d) ? c.ConsoleOutput : null,
                    w.Line("interrupt"),
                    p.Bool("uart"));
            }),
        ["stm32-timer"] = new(
            "STM32F4 timer (properties: kind basic|general|general-2ch|general-1ch|advanced, counterBits 16|32, apb 1|2, optionMask)",
            TimerInterrupts.Names,
            (d, c, w) =>
            {
                var p = new PropertyReader(d);
                string kind = Text(d, "kind", TimerLayout.General.Kind);
                var layout = TimerLayout.All.FirstOrDefault(l => string.Equals(l.Kind, kind, StringComparison.OrdinalIgnoreCase))
                    ?? throw new FormatException(
                        $"peripheral {d.Name}: property 'kind' must be one of {string.Join(", ", TimerLayout.All.Select(l => l.Kind))}, not '{kind}'");
                uint bits = p.Number("counterBits", 16);
                if (bits is not (16 or 32))
                {
                    throw new FormatException($"peripheral {d.Name}: property 'counterBits' must be 16 or 32, not {bits}");
                }

                return new Stm32Timer(
                    d.Name,
                    layout,
                    (int)bits,
                    c.Clock,
                    c.Services.Find<IStm32Clocks>(),
                    Apb(d.Name, p),
                    new TimerInterrupts(w.Line("global"), w.Line("update"), w.Line("compare"), w.Line("trigger"), w.Line("break")),
                    p.Number("optionMask", 0));
            }),
    };

    // PropertyReader has no string accessor; the timer kind is this family's only text property.
    private static string Text(PeripheralDescription description, string name, string fallback)
    {
        foreach (var pair in description.Properties)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value.ValueKind == System.Text.Json.JsonValueKind.String
                    ? pair.Value.GetString()!
                    : throw new FormatException($"peripheral {description.Name}: property '{name}' must be a string");
            }
        }

        return fallback;
    }

    private static int Apb(string name, PropertyReader properties)
    {
        uint apb = properties.Number("apb", 1);
        return apb is 1 or 2 ? (int)apb : throw new FormatException($"peripheral {name}: property 'apb' must be 1 or 2, not {apb}");
    }
}
