using System.Text.Json;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Catalog;
using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class CatalogTests
{
    private readonly TestBench _bench = new();

    private PeripheralContext Context(Stream? console = null) => new(_bench.Clock, _bench.Router) { ConsoleOutput = console };

    private static PeripheralDescription Describe(string type, Dictionary<string, int>? interrupts = null, string properties = "{}") => new()
    {
        Name = "dev",
        Type = type,
        Base = 0x40000000,
        Interrupts = interrupts ?? [],
        Properties = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(properties)!,
    };

    [Fact]
    public void Every_listed_type_builds_from_a_minimal_description()
    {
        var bus = new Memory.AddressSpace();
        foreach (string type in PeripheralCatalog.TypeNames)
        {
            var device = PeripheralCatalog.Create(Describe(type), new PeripheralContext(_bench.Clock, _bench.Router) { Bus = bus });
            Assert.Equal("dev", device.Name);
        }

        Assert.Contains("cmsdk-apb-uart", PeripheralCatalog.TypeNames);
        Assert.Contains("stm32-gpio", PeripheralCatalog.TypeNames);
        bus.Dispose();
    }

    [Fact]
    public void Unknown_type_is_an_error_that_lists_the_known_types()
    {
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(Describe("pl011"), Context()));
        Assert.Contains("peripheral dev: unknown type 'pl011'", e.Message);
        Assert.Contains("cmsdk-apb-timer", e.Message);
    }

    [Fact]
    public void Unknown_interrupt_output_is_an_error_naming_the_outputs()
    {
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(Describe("cmsdk-apb-uart", new() { ["overflow"] = 12 }), Context()));
        Assert.Contains("has no interrupt output 'overflow'", e.Message);
        Assert.Contains("rxOverrun", e.Message);
    }

    [Fact]
    public void Bad_property_value_is_an_error_naming_the_property()
    {
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(Describe("mps2-scc", properties: """{"id": "banana"}"""), Context()));
        Assert.Contains("property 'id'", e.Message);
    }

    [Fact]
    public void Only_the_console_uart_writes_to_the_console_stream()
    {
        var console = new MemoryStream();
        var plain = (CmsdkApbUart)PeripheralCatalog.Create(Describe("cmsdk-apb-uart"), Context(console));
        var main = (CmsdkApbUart)PeripheralCatalog.Create(Describe("cmsdk-apb-uart", properties: """{"console": true}"""), Context(console));
        foreach (var uart in new[] { plain, main })
        {
            uart.Write(0x08, 1, 4);
        }

        plain.Write(0x00, 'a', 4);
        main.Write(0x00, 'b', 4);
        Assert.Equal("b"u8.ToArray(), console.ToArray());
    }

    [Fact]
    public void Named_interrupt_outputs_reach_their_lines()
    {
        var timer = PeripheralCatalog.Create(Describe("cmsdk-apb-timer", new() { ["interrupt"] = 9 }), Context());
        timer.Write(0x04, 3, 4);
        timer.Write(0x00, 9, 4); // enable + irq enable
        _bench.Advance(3);
        Assert.True(_bench.Controller.Level(9));
    }

    [Fact]
    public void Unimplemented_windows_read_zero_or_their_fixed_values_and_ignore_writes()
    {
        var device = (UnimplementedDevice)PeripheralCatalog.Create(Describe("unimplemented", properties: """{"values": {"0x50": "0x01180001"}}"""), Context());
        device.Write(0x50, 7, 4);
        Assert.Equal(0x01180001u, device.Read(0x50, 4));
        Assert.Equal(0x0001u, device.Read(0x50, 2));
        Assert.Equal(0u, device.Read(0x54, 4));
        Assert.Equal(4, device.AccessCount);
    }
}

public class InterruptRouterTests
{
    [Fact]
    public void Outputs_sharing_a_line_are_ored()
    {
        var bench = new TestBench();
        var a = bench.Line(12);
        var b = bench.Line(12);
        a.Set(true);
        b.Set(true);
        a.Set(false);
        Assert.True(bench.Controller.Level(12));
        b.Set(false);
        Assert.False(bench.Controller.Level(12));
        Assert.Equal(2, bench.Controller.Changes.Count); // one rise, one fall
    }

    [Fact]
    public void The_nmi_line_goes_to_the_nmi_input()
    {
        var bench = new TestBench();
        bench.Line(InterruptRouter.NmiLine).Set(true);
        Assert.Equal([(true, 0UL)], bench.NmiLevels);
        Assert.Empty(bench.Controller.Changes);
    }
}
