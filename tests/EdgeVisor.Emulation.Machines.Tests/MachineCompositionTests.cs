using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Fpga;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Machines.Tests;

public class MachineCompositionTests
{
    [Theory]
    [InlineData("mps2-an385", "cortex-m3", 0x41043850u)]
    [InlineData("mps2-an386", "cortex-m4f", 0x41043860u)]
    public void A_machine_has_the_boards_core_and_identifies_its_fpga_image(string board, string model, uint sccId)
    {
        using var machine = new Machine(BoardCatalog.Get(board));
        Assert.Equal(model, machine.Cpu.Model);
        Assert.Equal(sccId, machine.Bus.Read32(0x4002FFFC));
        Assert.Equal(0x00200008u, machine.Bus.Read32(0x4002FFF8));
        Assert.Equal(0x21u, machine.Bus.Read32(0x40004FE0)); // UART0 PID0
        Assert.Same(machine.Peripherals["uart0"], machine.ConsoleUart);
    }

    [Fact]
    public void Mirrors_show_the_same_memory()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Bus.Write32(0x00000010, 0xCAFEF00D);
        Assert.Equal(0xCAFEF00Du, machine.Bus.Read32(0x00400010));
        machine.Bus.Write32(0x0100C004, 0x12345678);
        Assert.Equal(0x12345678u, machine.Bus.Read32(0x01000004));
        machine.Bus.Write32(0x20400000, 7);
        Assert.Equal(7u, machine.Bus.Read32(0x20000000));
    }

    [Theory]
    [InlineData(0x40003000u)] // APB hole between the dual timer and UART0
    [InlineData(0x4000A000u)]
    [InlineData(0x40014000u)] // AHB hole after GPIO3
    [InlineData(0x40024000u)] // I2S, unimplemented in QEMU too
    [InlineData(0x40030000u)]
    [InlineData(0x41000000u)] // VGA
    [InlineData(0x00800000u)]
    [InlineData(0x1F000000u)]
    [InlineData(0x20800000u)]
    [InlineData(0xE0001000u)] // DWT: RAZ/WI in the PPB outside the SCS, as QEMU
    public void Qemus_unimplemented_regions_read_as_zero_and_ignore_writes(uint address)
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Bus.Write32(address, 0xFFFFFFFF);
        Assert.Equal(0u, machine.Bus.Read32(address));
    }

    [Theory]
    [InlineData(0x24000000u)]
    [InlineData(0x40200100u)] // past the Ethernet controller's 256 bytes
    [InlineData(0x44000000u)]
    [InlineData(0x60000000u)]
    [InlineData(0xE0100000u)]
    public void Addresses_nothing_decodes_are_bus_faults(uint address)
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        var e = Assert.Throws<BusFaultException>(() => machine.Bus.Read32(address));
        Assert.Equal(address, e.Address);
    }

    [Fact]
    public void Bit_band_aliases_reach_sram_and_peripherals()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Bus.Write32(0x22000000 + (8 * 32) + (2 * 4), 1); // bit 2 of 0x20000008
        Assert.Equal(4u, machine.Bus.Read32(0x20000008));
        machine.Bus.Write32(0x42000000 + (0x28000 * 32) + (1 * 4), 1); // FPGAIO LED0 bit 1
        Assert.True(machine.Pin("fpgaio", 1).Level);
    }

    [Fact]
    public void Pins_and_peripherals_are_found_by_name_with_helpful_errors()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        Assert.Equal("gpio1.15", machine.Pin("gpio1", 15).Name);
        Assert.IsType<Mps2Scc>(machine.Peripherals["scc"]);
        Assert.IsType<CmsdkAhbGpio>(machine.Peripheral<CmsdkAhbGpio>("gpio3"));
        var e = Assert.Throws<ArgumentException>(() => machine.Pin("gpio9", 0));
        Assert.Contains("gpio0, gpio1, gpio2, gpio3", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => machine.Peripheral<CmsdkApbUart>("timer0"));
        Assert.Contains("uart0, uart1, uart2, uart3, uart4", e2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.Pin("gpio0", 16));
    }

    [Fact]
    public void Uart0_is_the_console_and_the_other_uarts_are_not()
    {
        var console = new MemoryStream();
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"), new MachineOptions { ConsoleOutput = console });
        machine.Bus.Write32(0x40004008, 1);
        machine.Bus.Write32(0x40005008, 1);
        machine.Bus.Write32(0x40004000, 'A');
        machine.Bus.Write32(0x40005000, 'B');
        machine.FlushConsole();
        Assert.Equal("A"u8.ToArray(), console.ToArray());
    }

    [Fact]
    public void A_board_with_an_unknown_cpu_or_overlapping_windows_is_an_error_naming_the_board()
    {
        var board = BoardCatalog.Get("mps2-an385");
        var e = Assert.Throws<FormatException>(() => new Machine(board with { Cpu = board.Cpu with { Model = "cortex-m85" } }));
        Assert.Contains("board mps2-an385: unknown cpu model 'cortex-m85'", e.Message);

        var overlapping = board with
        {
            Peripherals = [.. board.Peripherals, board.Peripherals.First(p => p.Name == "uart1") with { Name = "uart9" }],
        };
        var e2 = Assert.Throws<FormatException>(() => new Machine(overlapping));
        Assert.Contains("board mps2-an385: uart9", e2.Message);
        Assert.Contains("overlaps", e2.Message);
    }
}
