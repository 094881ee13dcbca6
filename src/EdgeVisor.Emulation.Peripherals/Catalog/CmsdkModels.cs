using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Fpga;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Timers;
using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>The Arm CMSDK and MPS2 FPGA models (the mps2-an385/an386 boards).</summary>
internal static class CmsdkModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
        ["cmsdk-apb-uart"] = new(
            "CMSDK APB UART",
            ["tx", "rx", "txOverrun", "rxOverrun", "combined"],
            (d, c, w) => new CmsdkApbUart(
                d.Name,
                c.Clock,
                PeripheralCatalog.IsConsole(d) ? c.ConsoleOutput : null,
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
    };
}
