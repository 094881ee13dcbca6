using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Board;

/// <summary>The stm32f4-discovery board file: the STM32F407VG memory map of RM0090 and the core as ST ships it.</summary>
public class Stm32BoardMapTests
{
    private static Machine NewMachine() => new(BoardCatalog.Get("stm32f4-discovery"));

    [Fact]
    public void The_core_is_a_168_MHz_cortex_m4f_with_4_priority_bits_82_irqs_and_a_21_MHz_systick_reference()
    {
        var board = BoardCatalog.Get("stm32f4-discovery");
        Assert.Equal(("cortex-m4f", 168_000_000UL, 4, 82), (board.Cpu.Model, board.Cpu.ClockHz, board.Cpu.PriorityBits, board.Cpu.Interrupts));
        using var machine = NewMachine();
        // SYST_CALIB.TENMS: reference ticks in 10 ms minus one, 21 MHz -> 209999.
        Assert.Equal(209_999u, machine.Bus.Read32(0xE000E01C) & 0xFFFFFF);
    }

    [Fact]
    public void Flash_is_aliased_at_zero_and_core_writes_without_pg_change_nothing_but_set_pgserr()
    {
        using var machine = NewMachine();
        machine.Bus.Load(0x08000000, [0x00, 0x00, 0x02, 0x20]);
        Assert.Equal(0x20020000u, machine.Bus.Read32(0x00000000));
        machine.Bus.Write32(0x08000000, 0);
        Assert.Equal(0x20020000u, machine.Bus.Read32(0x08000000));
        Assert.Equal(1u << 7, machine.Bus.Read32(0x40023C0C)); // FLASH_SR.PGSERR
    }

    [Fact]
    public void Pins_are_named_port_dot_index_and_gpio_edges_reach_the_nvic_through_syscfg_and_exti()
    {
        using var machine = NewMachine();
        Assert.Equal("gpiod.12", machine.Pin("gpiod", 12).Name);
        machine.Bus.Write32(0x40013808, 0x0003); // SYSCFG_EXTICR1: line 0 from port D
        machine.Bus.Write32(0x40013C00, 1); // EXTI_IMR
        machine.Bus.Write32(0x40013C08, 1); // EXTI_RTSR
        machine.Bus.Write32(0xE000E100, 1u << 6); // NVIC_ISER0: EXTI0
        machine.Pin("gpioa", 0).Drive(true); // not the selected port
        Assert.Equal(0u, machine.Bus.Read32(0xE000E200) & (1u << 6));
        machine.Pin("gpiod", 0).Drive(true);
        Assert.Equal(1u, machine.Bus.Read32(0x40013C14));
        Assert.NotEqual(0u, machine.Bus.Read32(0xE000E200) & (1u << 6)); // NVIC_ISPR0: EXTI0 pending
    }

    [Theory]
    [InlineData(0x20000000u, 128 * 1024, true)] // SRAM1 + SRAM2
    [InlineData(0x10000000u, 64 * 1024, true)] // CCM data RAM
    [InlineData(0x40024000u, 4 * 1024, false)] // backup SRAM (AHB1 peripheral space follows)
    public void Ram_is_where_rm0090_puts_it(uint baseAddress, int size, bool nothingFollows)
    {
        using var machine = NewMachine();
        machine.Bus.Write32(baseAddress, 0x11223344);
        machine.Bus.Write32(baseAddress + (uint)size - 4, 0x55667788);
        Assert.Equal((0x11223344u, 0x55667788u), (machine.Bus.Read32(baseAddress), machine.Bus.Read32(baseAddress + (uint)size - 4)));
        if (nothingFollows)
        {
            Assert.Throws<BusFaultException>(() => machine.Bus.Write32(baseAddress + (uint)size, 0));
        }
    }

    [Fact]
    public void Identity_registers_read_the_f407s_values()
    {
        using var machine = NewMachine();
        Assert.Equal(1024, machine.Bus.Read16(0x1FFF7A22)); // flash size in KiB
        Assert.Equal(0x413u, machine.Bus.Read32(0xE0042000) & 0xFFF); // DBGMCU_IDCODE.DEV_ID
        Assert.NotEqual(0u, machine.Bus.Read32(0x1FFF7A10)); // unique device ID
        Assert.Throws<BusFaultException>(() => machine.Bus.Write32(0x1FFF0000, 0)); // system memory is read-only
    }

    [Fact]
    public void Bit_band_aliases_reach_sram()
    {
        using var machine = NewMachine();
        machine.Bus.Write32(0x22000000 + (0x10 * 32) + (3 * 4), 1); // bit 3 of 0x20000010
        Assert.Equal(8u, machine.Bus.Read32(0x20000010));
    }

    [Theory]
    [InlineData(0x40002400u)] // APB1 hole between TIM14 and the RTC
    [InlineData(0x40026000u)] // DMA1 (not modelled)
    [InlineData(0x50060800u)] // RNG (not modelled)
    [InlineData(0xE0001000u)] // DWT
    public void Unmodelled_peripheral_space_reads_as_zero_and_ignores_writes(uint address)
    {
        using var machine = NewMachine();
        machine.Bus.Write32(address, 0xFFFFFFFF);
        Assert.Equal(0u, machine.Bus.Read32(address));
    }

    [Theory]
    [InlineData("usart1", 0x40011000u)]
    [InlineData("usart2", 0x40004400u)]
    [InlineData("uart5", 0x40005000u)]
    [InlineData("usart6", 0x40011400u)]
    [InlineData("tim1", 0x40010000u)]
    [InlineData("tim2", 0x40000000u)]
    [InlineData("tim14", 0x40002000u)]
    [InlineData("i2c1", 0x40005400u)]
    [InlineData("i2c3", 0x40005C00u)]
    [InlineData("rcc", 0x40023800u)]
    [InlineData("flash", 0x40023C00u)]
    [InlineData("pwr", 0x40007000u)]
    [InlineData("syscfg", 0x40013800u)]
    [InlineData("exti", 0x40013C00u)]
    [InlineData("gpioa", 0x40020000u)]
    [InlineData("gpioi", 0x40022000u)]
    public void Peripherals_sit_at_their_rm0090_addresses(string name, uint address)
    {
        var peripherals = BoardCatalog.Get("stm32f4-discovery").Peripherals.ToDictionary(p => p.Name);
        Assert.Equal(address, peripherals[name].Base);
    }

    [Fact]
    public void Exti_lines_go_to_the_rm0090_irqs()
    {
        var exti = BoardCatalog.Get("stm32f4-discovery").Peripherals.Single(p => p.Name == "exti");
        int[] expected = [6, 7, 8, 9, 10, 23, 23, 23, 23, 23, 40, 40, 40, 40, 40, 40, 1, 41, 42, 62, 76, 2, 3];
        Assert.Equal(expected, Enumerable.Range(0, 23).Select(i => exti.Interrupts[$"line{i}"]));
    }

    [Fact]
    public void An_rcc_reset_bit_resets_the_peripheral_it_names()
    {
        using var machine = NewMachine();
        machine.Bus.Write32(0x40020C00, 1u << 24); // GPIOD_MODER: PD12 output
        machine.Bus.Write32(0x40020C18, 1u << 12); // BSRR: PD12 high
        Assert.True(machine.Pin("gpiod", 12).Level);
        machine.Bus.Write32(0x40023810, 1u << 3); // RCC_AHB1RSTR.GPIODRST
        machine.Bus.Write32(0x40023810, 0);
        Assert.Equal((0u, 0u), (machine.Bus.Read32(0x40020C00), machine.Bus.Read32(0x40020C14)));
        Assert.False(machine.Pin("gpiod", 12).Level);
    }
}
