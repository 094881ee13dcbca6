using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Machines.Tests;

public class BoardCatalogTests
{
    [Fact]
    public void Both_mps2_boards_are_bundled_with_qemus_core_clock_and_interrupt_shape()
    {
        Assert.Equal(["mps2-an385", "mps2-an386", "stm32f4-discovery"], BoardCatalog.Names);
        var an385 = BoardCatalog.Get("mps2-an385");
        var an386 = BoardCatalog.Get("MPS2-AN386");
        Assert.Equal("cortex-m3", an385.Cpu.Model);
        Assert.Equal("cortex-m4f", an386.Cpu.Model);
        foreach (var board in new[] { an385, an386 })
        {
            Assert.Equal(25_000_000UL, board.Cpu.ClockHz);
            Assert.Equal(32, board.Cpu.Interrupts);
            Assert.Equal(8, board.Cpu.PriorityBits);
            Assert.Equal(0u, board.Cpu.InitialVtor);
        }
    }

    [Fact]
    public void The_memory_map_is_qemus()
    {
        var board = BoardCatalog.Get("mps2-an385");
        var memory = board.Memory.ToDictionary(m => m.Name);
        Assert.Equal((0x00000000u, 0x400000u, RegionKind.Ram), (memory["ssram1"].Base, memory["ssram1"].Size, memory["ssram1"].Kind));
        Assert.Equal(0x00000000u, memory["ssram1-mirror"].AliasOf);
        Assert.Equal((0x20000000u, 0x400000u), (memory["ssram23"].Base, memory["ssram23"].Size));
        Assert.Equal((0x21000000u, 0x1000000u), (memory["psram"].Base, memory["psram"].Size));
        Assert.Equal((0x01000000u, 0x4000u), (memory["blockram"].Base, memory["blockram"].Size));
    }

    [Fact]
    public void Peripheral_addresses_and_irq_numbers_are_qemus()
    {
        var peripherals = BoardCatalog.Get("mps2-an386").Peripherals.ToDictionary(p => p.Name);
        Assert.Equal((0x40004000u, 0, 1, 12), (peripherals["uart0"].Base, peripherals["uart0"].Interrupts["rx"], peripherals["uart0"].Interrupts["tx"], peripherals["uart0"].Interrupts["rxOverrun"]));
        Assert.Equal((0x40007000u, 18, 19), (peripherals["uart3"].Base, peripherals["uart3"].Interrupts["rx"], peripherals["uart3"].Interrupts["tx"]));
        Assert.Equal((0x40009000u, 20, 21), (peripherals["uart4"].Base, peripherals["uart4"].Interrupts["rx"], peripherals["uart4"].Interrupts["tx"]));
        Assert.Equal((0x40000000u, 8), (peripherals["timer0"].Base, peripherals["timer0"].Interrupts["interrupt"]));
        Assert.Equal((0x40001000u, 9), (peripherals["timer1"].Base, peripherals["timer1"].Interrupts["interrupt"]));
        Assert.Equal((0x40002000u, 10), (peripherals["dualtimer"].Base, peripherals["dualtimer"].Interrupts["combined"]));
        Assert.Equal((0x40008000u, -14), (peripherals["watchdog"].Base, peripherals["watchdog"].Interrupts["interrupt"]));
        Assert.Equal(0x40028000u, peripherals["fpgaio"].Base);
        Assert.Equal(0x4002F000u, peripherals["scc"].Base);
        Assert.Equal([6, 24, 25, 26, 27, 28, 29, 30, 31], peripherals["gpio0"].Interrupts.Values.Order());
    }

    [Fact]
    public void An_unknown_board_name_is_an_error_listing_the_known_boards()
    {
        var e = Assert.Throws<ArgumentException>(() => BoardCatalog.Get("stm32f7-discovery"));
        Assert.Equal("unknown board 'stm32f7-discovery' (known boards: mps2-an385, mps2-an386, stm32f4-discovery; or give the path of a board file)", e.Message);
    }

    [Fact]
    public void A_board_file_loads_from_a_path_and_errors_name_the_file()
    {
        string dir = Directory.CreateTempSubdirectory("edgevisor-board").FullName;
        string good = Path.Combine(dir, "tiny.json");
        File.WriteAllText(good, """
            { "name": "tiny", "cpu": { "model": "cortex-m0", "clockHz": 1000000 },
              "memory": [ { "name": "ram", "base": "0x0", "size": "64K" } ] }
            """);
        Assert.Equal("tiny", BoardCatalog.Get(good).Name);

        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, """{ "name": "bad", "cpu": { "model": "cortex-m0", "clockHz": 0 }, "memory": [] }""");
        var e = Assert.Throws<FormatException>(() => BoardCatalog.Get(bad));
        Assert.StartsWith(bad + ":", e.Message);

        Assert.Throws<FileNotFoundException>(() => BoardCatalog.Get(Path.Combine(dir, "missing.json")));
    }
}
