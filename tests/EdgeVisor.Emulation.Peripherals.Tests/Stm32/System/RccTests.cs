using EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.SystemModels;

public class RccTests
{
    private const uint Cr = 0x00, PllCfgr = 0x04, Cfgr = 0x08, Cir = 0x0C, Csr = 0x74;
    private const int RccIrq = 5;
    private readonly TestBench _bench = new(168_000_000);
    private readonly Stm32Rcc _rcc;

    public RccTests() => _rcc = new Stm32Rcc("rcc", _bench.Clock, _bench.Line(RccIrq), 8_000_000);

    private void ResetAndSettle() => _rcc.Reset();

    [Theory]
    [InlineData(0x00u, 0x00000083u)] // CR: HSI on and ready, HSITRIM 16
    [InlineData(0x04u, 0x24003010u)] // PLLCFGR
    [InlineData(0x08u, 0x00000000u)] // CFGR
    [InlineData(0x30u, 0x00100000u)] // AHB1ENR: CCM RAM clock
    [InlineData(0x50u, 0x7E6791FFu)] // AHB1LPENR
    [InlineData(0x60u, 0x36FEC9FFu)] // APB1LPENR
    [InlineData(0x64u, 0x00075F33u)] // APB2LPENR
    [InlineData(0x74u, 0x0E000000u)] // CSR: POR, PIN, BOR reset flags
    [InlineData(0x84u, 0x20003000u)] // PLLI2SCFGR
    public void Registers_reset_to_rm0090_values(uint offset, uint expected)
    {
        ResetAndSettle();
        Assert.Equal(expected, _rcc.Read(offset, 4));
    }

    [Fact]
    public void At_reset_everything_runs_from_the_16_MHz_hsi()
    {
        ResetAndSettle();
        Assert.Equal((16_000_000UL, 16_000_000UL, 16_000_000UL, 16_000_000UL), (_rcc.SysclkHz, _rcc.HclkHz, _rcc.PclkHz(1), _rcc.PclkHz(2)));
    }

    [Fact]
    public void Hse_becomes_ready_a_short_virtual_time_after_it_is_turned_on()
    {
        ResetAndSettle();
        _rcc.Write(Cr, _rcc.Read(Cr, 4) | (1u << 16), 4);
        Assert.Equal(0u, _rcc.Read(Cr, 4) & (1u << 17));
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.NotEqual(0u, _rcc.Read(Cr, 4) & (1u << 17));
        _rcc.Write(Cr, _rcc.Read(Cr, 4) & ~(1u << 16), 4);
        Assert.Equal(0u, _rcc.Read(Cr, 4) & (1u << 17)); // off: not ready at once
    }

    [Fact]
    public void A_ready_interrupt_raises_the_rcc_irq_until_firmware_clears_its_flag()
    {
        ResetAndSettle();
        _rcc.Write(Cir, 1u << 11, 4); // HSERDYIE
        _rcc.Write(Cr, 0x83 | (1u << 16), 4);
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(1u << 3, _rcc.Read(Cir, 4) & 0xFF); // HSERDYF
        Assert.True(_bench.Controller.Level(RccIrq));
        _rcc.Write(Cir, (1u << 11) | (1u << 19), 4); // HSERDYC
        Assert.Equal(0u, _rcc.Read(Cir, 4) & 0xFF);
        Assert.False(_bench.Controller.Level(RccIrq));
    }

    [Fact]
    public void The_hal_168_MHz_sequence_switches_to_the_pll_and_publishes_the_clock_tree()
    {
        ResetAndSettle();
        int changes = 0;
        _rcc.Changed += () => changes++;
        _rcc.Write(Cr, 0x83 | (1u << 16), 4); // HSEON
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        // HSE / M=8 × N=336 / P=2 = 168 MHz, Q=7 -> 48 MHz.
        _rcc.Write(PllCfgr, 8u | (336u << 6) | (0u << 16) | (1u << 22) | (7u << 24), 4);
        _rcc.Write(Cr, _rcc.Read(Cr, 4) | (1u << 24), 4); // PLLON
        _rcc.Write(Cfgr, 2u | (5u << 10) | (4u << 13), 4); // SW = PLL before it is ready; APB1 /4, APB2 /2
        Assert.Equal(0u, (_rcc.Read(Cfgr, 4) >> 2) & 3); // SWS still HSI: the PLL is not locked
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(2u, (_rcc.Read(Cfgr, 4) >> 2) & 3);
        Assert.Equal((168_000_000UL, 168_000_000UL, 42_000_000UL, 84_000_000UL), (_rcc.SysclkHz, _rcc.HclkHz, _rcc.PclkHz(1), _rcc.PclkHz(2)));
        Assert.Equal((84_000_000UL, 168_000_000UL), (_rcc.TimerClockHz(1), _rcc.TimerClockHz(2)));
        Assert.Equal(48_000_000UL, _rcc.Pll48Hz);
        Assert.True(changes >= 1);
    }

    [Fact]
    public void Pll_configuration_is_locked_while_the_pll_runs_and_a_source_in_use_stays_on()
    {
        ResetAndSettle();
        _rcc.Write(Cr, 0x83 | (1u << 24), 4); // PLL from HSI
        _rcc.Write(PllCfgr, 0x12345678, 4);
        Assert.Equal(0x24003010u, _rcc.Read(PllCfgr, 4));
        _rcc.Write(Cr, 0, 4); // HSI feeds the PLL and SYSCLK: it stays on; the PLL goes off
        uint cr = _rcc.Read(Cr, 4);
        Assert.Equal((1u, 0u), (cr & 1, cr & (1u << 24)));
    }

    [Fact]
    public void Selecting_a_source_that_is_off_keeps_the_current_one()
    {
        ResetAndSettle();
        _rcc.Write(Cfgr, 1, 4); // HSE, which is off
        _bench.Advance(1_000_000);
        Assert.Equal((1u, 0u), (_rcc.Read(Cfgr, 4) & 3, (_rcc.Read(Cfgr, 4) >> 2) & 3));
        Assert.Equal(16_000_000UL, _rcc.SysclkHz);
    }

    [Fact]
    public void Ahb_and_apb_prescalers_divide_hclk_and_pclk()
    {
        ResetAndSettle();
        _rcc.Write(Cfgr, (0b1000u << 4) | (0b111u << 10) | (0b100u << 13), 4); // AHB /2, APB1 /16, APB2 /2
        Assert.Equal((8_000_000UL, 500_000UL, 4_000_000UL), (_rcc.HclkHz, _rcc.PclkHz(1), _rcc.PclkHz(2)));
        _rcc.Write(Cfgr, 0b1100u << 4, 4); // AHB /64 (there is no /32)
        Assert.Equal(250_000UL, _rcc.HclkHz);
    }

    [Fact]
    public void Rmvf_clears_the_reset_flags_and_lsi_becomes_ready()
    {
        ResetAndSettle();
        _rcc.Write(Csr, (1u << 24) | 1, 4);
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(3u, _rcc.Read(Csr, 4));
    }

    [Fact]
    public void Hal_byte_writes_reach_their_lanes_of_cr_and_cir()
    {
        ResetAndSettle();
        _rcc.Write(Cr + 2, 0x01, 1); // RCC_CR byte 2: HSEON, as older HAL versions write it
        Assert.Equal(0x00010083u, _rcc.Read(Cr, 4));
        _rcc.Write(Cir + 1, 0x08, 1); // CIR byte 1: HSERDYIE
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(0x08u, _rcc.Read(Cir, 1));
        Assert.Equal(0x0001u, _rcc.Read(Cr + 2, 2) & 0x1); // half-word read of the upper half
        _rcc.Write(Cir + 2, 0x08, 1); // CIR byte 2: HSERDYC
        Assert.Equal(0x0800u, _rcc.Read(Cir, 4));
    }

    [Fact]
    public void Libopencm3_turns_the_hsi_off_once_the_system_runs_from_a_pll_fed_by_hse()
    {
        ResetAndSettle();
        _rcc.Write(Cr, 0x83 | (1u << 16), 4);
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        _rcc.Write(PllCfgr, 8u | (336u << 6) | (1u << 22) | (7u << 24), 4);
        _rcc.Write(Cr, _rcc.Read(Cr, 4) | (1u << 24), 4);
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        _rcc.Write(Cfgr, 2, 4);
        _rcc.Write(Cr, _rcc.Read(Cr, 4) & ~1u, 4); // rcc_osc_off(RCC_HSI)
        Assert.Equal(0u, _rcc.Read(Cr, 4) & 3);
        Assert.Equal(168_000_000UL, _rcc.SysclkHz);
        _rcc.Write(Cr, _rcc.Read(Cr, 4) & ~(1u << 16), 4); // HSE feeds the running PLL: stays on
        Assert.NotEqual(0u, _rcc.Read(Cr, 4) & (1u << 16));
    }
}
