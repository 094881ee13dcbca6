using System.Text.Json;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Catalog;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Peripherals.Stm32;
using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>The "stm32-i2c" board-file type.</summary>
public class CatalogEntryTests
{
    [Fact]
    public void A_board_entry_builds_a_controller_wired_to_its_EV_and_ER_lines_timed_by_the_board_RCC()
    {
        var bench = new TestBench(168_000_000);
        var context = new PeripheralContext(bench.Clock, bench.Router);
        var clocks = new FixedClocks { Pclk1Hz = 42_000_000 };
        context.Services.Add<IStm32Clocks>(clocks);
        var description = new PeripheralDescription
        {
            Name = "i2c3",
            Type = "stm32-i2c",
            Base = 0x40005C00,
            Interrupts = new Dictionary<string, int> { ["event"] = 72, ["error"] = 73 },
            Properties = new Dictionary<string, JsonElement>(),
        };

        var device = PeripheralCatalog.Create(description, context);
        var controller = Assert.IsAssignableFrom<II2cController>(device);
        Assert.Equal("i2c3", controller.Bus.Name);

        device.Write(Cr2, 42 | ItEvtEn | ItErrEn, 4);
        device.Write(Ccr, 210, 4);
        device.Write(Cr1, Pe | Start, 4);
        bench.Advance(1680);
        Assert.True(bench.Controller.Level(72));
        device.Read(Sr1, 4);
        device.Write(Dr, 0x10 << 1, 4); // nobody there
        bench.Advance(9 * 1680);
        Assert.True(bench.Controller.Level(73));
    }

    [Fact]
    public void Unknown_interrupt_outputs_are_rejected_naming_the_ones_it_has()
    {
        var bench = new TestBench();
        var description = new PeripheralDescription
        {
            Name = "i2c1",
            Type = "stm32-i2c",
            Base = 0x40005400,
            Interrupts = new Dictionary<string, int> { ["ev"] = 31 },
            Properties = new Dictionary<string, JsonElement>(),
        };
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(description, new PeripheralContext(bench.Clock, bench.Router)));
        Assert.Contains("event, error", e.Message, StringComparison.Ordinal);
    }
}
