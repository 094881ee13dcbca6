using EdgeVisor.Emulation.Boards;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>
/// The one place peripheral models are named: a board file's "type" maps to a factory that builds the model from
/// the description (base, size, interrupt outputs, properties) and the machine's context. Interrupt output names
/// and properties are checked here, so a typo in a board file is an error naming the entry, not a silent no-op.
/// </summary>
public static class PeripheralCatalog
{
    /// <summary>Property that maps an "unimplemented" window only where nothing else is mapped (QEMU's low-priority regions).</summary>
    public const string BackgroundProperty = "background";

    // Each family of models registers itself in its own file (CmsdkModels, Stm32SystemModels, ...).
    private static readonly Dictionary<string, PeripheralModel> Models = new(
        [
            .. BusModels.Entries,
            .. CmsdkModels.Entries,
            .. Stm32SystemModels.Entries,
            .. Stm32SerialTimerModels.Entries,
            .. Stm32I2cModels.Entries,
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The type names board files may use.</summary>
    public static IReadOnlyCollection<string> TypeNames => Models.Keys;

    /// <summary>A one-line description of a type, for listings.</summary>
    public static string Describe(string type) => Models.TryGetValue(type, out var m) ? m.Description : "unknown";

    /// <summary>Property that makes a UART the console (its output goes to the console stream, console input to it).</summary>
    public const string ConsoleProperty = "console";

    /// <summary>True if the description is the board's console device.</summary>
    public static bool IsConsole(PeripheralDescription description) => new PropertyReader(description).Bool(ConsoleProperty);

    /// <summary>True if the description asks to be mapped only where nothing else is.</summary>
    public static bool IsBackground(PeripheralDescription description) => new PropertyReader(description).Bool(BackgroundProperty);

    /// <summary>
    /// Builds the model a board entry describes. Throws <see cref="FormatException"/> naming the entry for an
    /// unknown type, an unknown interrupt output or a bad property.
    /// </summary>
    public static IPeripheral Create(PeripheralDescription description, PeripheralContext context)
    {
        if (!Models.TryGetValue(description.Type, out var model))
        {
            throw new FormatException(
                $"peripheral {description.Name}: unknown type '{description.Type}' (known: {string.Join(", ", Models.Keys.Order(StringComparer.Ordinal))})");
        }

        foreach (string output in description.Interrupts.Keys)
        {
            if (!model.Outputs.Contains(output, StringComparer.OrdinalIgnoreCase))
            {
                string known = model.Outputs.Count == 0 ? "it has none" : "known: " + string.Join(", ", model.Outputs);
                throw new FormatException($"peripheral {description.Name}: {description.Type} has no interrupt output '{output}' ({known})");
            }
        }

        var peripheral = model.Create(description, context, new InterruptWiring(description, context));
        peripheral.Reset();
        return peripheral;
    }
}
