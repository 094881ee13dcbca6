using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Fpga;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Timers;
using EdgeVisor.Emulation.Peripherals.Uart;

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

    private sealed record Model(string Description, IReadOnlyList<string> Outputs, Func<PeripheralDescription, PeripheralContext, Wiring, IPeripheral> Create);

    private static readonly Dictionary<string, Model> Models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cmsdk-apb-uart"] = new(
            "CMSDK APB UART",
            ["tx", "rx", "txOverrun", "rxOverrun", "combined"],
            (d, c, w) => new CmsdkApbUart(
                d.Name,
                c.Clock,
                IsConsole(d) ? c.ConsoleOutput : null,
                new UartInterrupts(w.Line("tx"), w.Line("rx"), w.Line("txOverrun"), w.Line("rxOverrun"), w.Line("combined")))),
        ["cmsdk-apb-timer"] = new(
            "CMSDK APB timer",
            ["interrupt"],
            (d, c, w) => new CmsdkApbTimer(d.Name, c.Clock, w.Line("interrupt"))),
        ["cmsdk-apb-dualtimer"] = new(
            "CMSDK APB dual timer",
            ["combined", "timer1", "timer2"],
            (d, c, w) => new CmsdkApbDualTimer(d.Name, c.Clock, w.Line("combined"), w.Line("timer1"), w.Line("timer2"))),
        ["cmsdk-ahb-gpio"] = new(
            "CMSDK AHB GPIO (16 pins)",
            ["combined", .. Enumerable.Range(0, CmsdkAhbGpio.PinCount).Select(i => $"pin{i}")],
            (d, c, w) => new CmsdkAhbGpio(
                d.Name,
                c.Clock,
                w.Line("combined"),
                [.. Enumerable.Range(0, CmsdkAhbGpio.PinCount).Select(i => w.Line($"pin{i}"))])),
        ["cmsdk-apb-watchdog"] = new(
            "CMSDK APB watchdog",
            ["interrupt"],
            (d, c, w) => new CmsdkApbWatchdog(d.Name, c.Clock, w.Line("interrupt"))),
        ["mps2-fpgaio"] = new(
            "MPS2 FPGA I/O (LEDs, buttons, counters)",
            [],
            (d, c, _) =>
            {
                var p = new PropertyReader(d);
                return new Mps2FpgaIo(
                    d.Name,
                    c.Clock,
                    p.Number("prescaleClockHz", (uint)Math.Min(c.Clock.FrequencyHz, uint.MaxValue)),
                    (int)p.Number("leds", 2),
                    (int)p.Number("buttons", 2));
            }),
        ["mps2-scc"] = new(
            "MPS2 serial communication controller (board and FPGA image identity)",
            [],
            (d, c, _) =>
            {
                var p = new PropertyReader(d);
                return new Mps2Scc(d.Name, c.Clock, new SccIdentity(p.Number("id", 0), p.Number("aid", 0), p.Number("cfg4", 0), p.Numbers("oscillators", [])));
            }),
        ["unimplemented"] = new(
            "reads as zero, ignores writes (QEMU's unimplemented-device)",
            [],
            (d, _, _) => new UnimplementedDevice(d.Name, new PropertyReader(d).NumberMap("values"))),
        ["bitband"] = new(
            "Cortex-M3/M4 bit-band alias",
            [],
            (d, c, _) => new BitBandAlias(
                d.Name,
                c.Bus ?? throw new InvalidOperationException($"peripheral {d.Name}: the bit-band alias needs the address space"),
                new PropertyReader(d).Number("target", 0))),
    };

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

        var peripheral = model.Create(description, context, new Wiring(description, context));
        peripheral.Reset();
        return peripheral;
    }

    /// <summary>Connects a model's named outputs to the lines the board file gives them; unnamed outputs stay unconnected.</summary>
    private sealed class Wiring(PeripheralDescription description, PeripheralContext context)
    {
        public InterruptLine Line(string output)
        {
            foreach (var pair in description.Interrupts)
            {
                if (string.Equals(pair.Key, output, StringComparison.OrdinalIgnoreCase))
                {
                    return context.Interrupts.Line(pair.Value);
                }
            }

            return new InterruptLine(null, -1);
        }
    }
}
