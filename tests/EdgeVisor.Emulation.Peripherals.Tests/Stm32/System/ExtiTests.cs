using EdgeVisor.Emulation.Peripherals.Stm32.Exti;
using EdgeVisor.Emulation.Peripherals.Stm32.Gpio;
using EdgeVisor.Emulation.Peripherals.Stm32.Syscfg;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.SystemModels;

/// <summary>EXTI with SYSCFG routing and GPIO ports A and C, wired to the F407's NVIC lines.</summary>
public class ExtiTests
{
    private const uint Imr = 0x00, Emr = 0x04, Rtsr = 0x08, Ftsr = 0x0C, Swier = 0x10, Pr = 0x14;
    private const uint ExtiCr1 = 0x08, CmpCr = 0x20;
    private readonly TestBench _bench = new();
    private readonly Stm32Exti _exti;
    private readonly Stm32Syscfg _syscfg;
    private readonly Stm32GpioPort _portA;
    private readonly Stm32GpioPort _portC;

    public ExtiTests()
    {
        int[] nvic = [6, 7, 8, 9, 10, 23, 23, 23, 23, 23, 40, 40, 40, 40, 40, 40, 1, 41, 42, 62, 76, 2, 3];
        _exti = new Stm32Exti("exti", [.. nvic.Select(_bench.Line)]);
        _syscfg = new Stm32Syscfg("syscfg", _exti);
        _portA = new Stm32GpioPort("gpioa", _bench.Clock, 0, _syscfg, new Stm32GpioResetValues(0, 0, 0));
        _portC = new Stm32GpioPort("gpioc", _bench.Clock, 2, _syscfg, new Stm32GpioResetValues(0, 0, 0));
        foreach (var p in new IPeripheral[] { _exti, _syscfg, _portA, _portC })
        {
            p.Reset();
        }
    }

    [Fact]
    public void A_rising_edge_on_pa0_sets_pr0_and_raises_exti0_until_pr_is_cleared()
    {
        _exti.Write(Imr, 1, 4);
        _exti.Write(Rtsr, 1, 4);
        _portA.Pins[0].Drive(true);
        Assert.Equal(1u, _exti.Read(Pr, 4));
        Assert.True(_bench.Controller.Level(6));
        _portA.Pins[0].Drive(false); // falling edge not selected
        _exti.Write(Pr, 1, 4);
        Assert.Equal(0u, _exti.Read(Pr, 4));
        Assert.False(_bench.Controller.Level(6));
    }

    [Fact]
    public void Exticr_chooses_which_port_drives_a_line()
    {
        _exti.Write(Imr, 1u << 1, 4);
        _exti.Write(Ftsr, 1u << 1, 4);
        _syscfg.Write(ExtiCr1, 2u << 4, 4); // line 1 from port C
        Assert.Equal(2, _syscfg.ExtiPort(1));
        _portA.Pins[1].Drive(true);
        _portA.Pins[1].Drive(false);
        Assert.Equal(0u, _exti.Read(Pr, 4));
        _portC.Pins[1].Drive(true);
        _portC.Pins[1].Drive(false);
        Assert.Equal(2u, _exti.Read(Pr, 4));
        Assert.True(_bench.Controller.Level(7));
    }

    [Fact]
    public void Lines_5_to_9_share_exti9_5_and_10_to_15_share_exti15_10()
    {
        _exti.Write(Imr, (1u << 7) | (1u << 13), 4);
        _exti.Write(Rtsr, (1u << 7) | (1u << 13), 4);
        _portA.Pins[7].Drive(true);
        Assert.True(_bench.Controller.Level(23));
        Assert.False(_bench.Controller.Level(40));
        _portA.Pins[13].Drive(true);
        Assert.True(_bench.Controller.Level(40));
    }

    [Fact]
    public void An_edge_on_a_masked_line_is_pending_and_interrupts_once_unmasked()
    {
        _exti.Write(Rtsr, 1u << 2, 4);
        _portA.Pins[2].Drive(true);
        Assert.Equal(4u, _exti.Read(Pr, 4));
        Assert.False(_bench.Controller.Level(8));
        _exti.Write(Imr, 1u << 2, 4);
        Assert.True(_bench.Controller.Level(8));
    }

    [Fact]
    public void Swier_sets_the_pending_bit_of_an_unmasked_line_and_clears_with_it()
    {
        _exti.Write(Swier, 1u << 3, 4); // masked: nothing pends
        Assert.Equal(0u, _exti.Read(Pr, 4));
        _exti.Write(Pr, 1u << 3, 4);
        _exti.Write(Imr, 1u << 3, 4);
        _exti.Write(Swier, 1u << 3, 4);
        Assert.Equal((1u << 3, 1u << 3), (_exti.Read(Pr, 4), _exti.Read(Swier, 4)));
        Assert.True(_bench.Controller.Level(9));
        _exti.Write(Pr, 1u << 3, 4);
        Assert.Equal((0u, 0u), (_exti.Read(Pr, 4), _exti.Read(Swier, 4)));
        Assert.False(_bench.Controller.Level(9));
    }

    [Fact]
    public void Internal_lines_reach_their_own_irqs_and_registers_hold_23_bits()
    {
        _exti.Write(Imr, 0xFFFFFFFF, 4);
        _exti.Write(Emr, 0xFFFFFFFF, 4);
        _exti.Write(Rtsr, 1u << 17, 4);
        Assert.Equal((0x7FFFFFu, 0x7FFFFFu), (_exti.Read(Imr, 4), _exti.Read(Emr, 4)));
        _exti.Input(17, true); // RTC alarm
        Assert.True(_bench.Controller.Level(41));
    }

    [Fact]
    public void Analog_pins_do_not_reach_exti()
    {
        _exti.Write(Imr, 1, 4);
        _exti.Write(Rtsr, 1, 4);
        _portA.Write(0x00, 3, 4); // PA0 analog
        _portA.Pins[0].Drive(true);
        Assert.Equal(0u, _exti.Read(Pr, 4));
    }

    [Fact]
    public void The_compensation_cell_is_ready_once_powered()
    {
        _syscfg.Write(CmpCr, 1, 4);
        Assert.Equal(0x101u, _syscfg.Read(CmpCr, 4));
        _syscfg.Write(CmpCr, 0, 4);
        Assert.Equal(0u, _syscfg.Read(CmpCr, 4));
    }

    [Fact]
    public void A_byte_write_to_pr_clears_only_its_own_lines()
    {
        _exti.Write(Rtsr, 0x0101, 4);
        _portA.Pins[0].Drive(true);
        _portA.Pins[8].Drive(true);
        Assert.Equal(0x0101u, _exti.Read(Pr, 4));
        _exti.Write(Pr + 1, 0x01, 1); // line 8
        Assert.Equal(0x0001u, _exti.Read(Pr, 4));
    }
}
