using EdgeVisor.Emulation.Peripherals.Timers;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class DualTimerTests
{
    private const uint Load = 0x00, Value = 0x04, Control = 0x08, IntClr = 0x0C, Ris = 0x10, Mis = 0x14, BgLoad = 0x18;
    private const uint Timer2 = 0x20;
    private const uint OneShot = 1, Size32 = 2, Prescale16 = 1 << 2, IntEnable = 1 << 5, Periodic = 1 << 6, Enable = 1 << 7;
    private const int Combined = 10, Line1 = 20, Line2 = 21;

    private readonly TestBench _bench = new();
    private readonly CmsdkApbDualTimer _timer;

    public DualTimerTests()
    {
        _timer = new CmsdkApbDualTimer("dualtimer", _bench.Clock, _bench.Line(Combined), _bench.Line(Line1), _bench.Line(Line2));
        _timer.Reset();
    }

    [Fact]
    public void Reset_values_match_qemu_and_the_trm()
    {
        foreach (uint bank in new[] { 0u, Timer2 })
        {
            Assert.Equal(0u, _timer.Read(bank + Load, 4));
            Assert.Equal(0xFFFFFFFFu, _timer.Read(bank + Value, 4));
            Assert.Equal(0x20u, _timer.Read(bank + Control, 4));
            Assert.Equal(0u, _timer.Read(bank + Ris, 4));
            Assert.Equal(0u, _timer.Read(bank + BgLoad, 4));
        }

        Assert.Equal(0x23u, _timer.Read(0xFE0, 4));
    }

    [Fact]
    public void Periodic_32_bit_with_prescale_16_interrupts_every_load_plus_one_ticks()
    {
        _timer.Write(Load, 9, 4);
        _timer.Write(Control, Enable | Periodic | Size32 | Prescale16 | IntEnable, 4);
        _bench.Advance(16 * 9 - 1);
        Assert.False(_bench.Controller.Level(Combined));
        Assert.Equal(1u, _timer.Read(Value, 4));
        _bench.Advance(1);
        Assert.True(_bench.Controller.Level(Combined));
        Assert.True(_bench.Controller.Level(Line1));
        Assert.False(_bench.Controller.Level(Line2));
        Assert.Equal(1u, _timer.Read(Ris, 4));
        Assert.Equal(1u, _timer.Read(Mis, 4));
        _timer.Write(IntClr, 0, 4);
        Assert.False(_bench.Controller.Level(Combined));
        _bench.Advance(16 * 10);
        Assert.Equal([144UL, 304], _bench.Controller.Rises(Combined));
    }

    [Fact]
    public void One_shot_stops_at_zero()
    {
        _timer.Write(Timer2 + Load, 100, 4);
        _timer.Write(Timer2 + Control, Enable | OneShot | Size32 | IntEnable | Periodic, 4);
        _bench.Advance(1000);
        Assert.Equal(0u, _timer.Read(Timer2 + Value, 4));
        Assert.Equal([100UL], _bench.Controller.Rises(Line2));
    }

    [Fact]
    public void Free_running_16_bit_wraps_to_ffff_and_keeps_the_top_half_of_value()
    {
        _timer.Write(Load, 0x12340003, 4);
        _timer.Write(Control, Enable | IntEnable, 4); // free-running, 16-bit
        Assert.Equal(0x12340003u, _timer.Read(Value, 4));
        _bench.Advance(3);
        Assert.Equal(0x12340000u, _timer.Read(Value, 4));
        _bench.Advance(1);
        Assert.Equal(0x1234FFFFu, _timer.Read(Value, 4));
        Assert.Equal([3UL], _bench.Controller.Rises(Line1));
    }

    [Fact]
    public void Masked_status_needs_the_interrupt_enable_and_ris_does_not()
    {
        _timer.Write(Load, 5, 4);
        _timer.Write(Control, Enable | Periodic | Size32, 4);
        _bench.Advance(5);
        Assert.Equal(1u, _timer.Read(Ris, 4));
        Assert.Equal(0u, _timer.Read(Mis, 4));
        Assert.False(_bench.Controller.Level(Combined));
        _timer.Write(Control, Enable | Periodic | Size32 | IntEnable, 4);
        Assert.True(_bench.Controller.Level(Combined));
    }

    [Fact]
    public void Background_load_changes_the_next_period_not_the_current_count()
    {
        _timer.Write(Load, 100, 4);
        _timer.Write(Control, Enable | Periodic | Size32 | IntEnable, 4);
        _bench.Advance(10);
        _timer.Write(BgLoad, 20, 4);
        Assert.Equal(90u, _timer.Read(Value, 4));
        Assert.Equal(20u, _timer.Read(Load, 4));
        _bench.AdvanceTo(100);
        _timer.Write(IntClr, 0, 4);
        _bench.AdvanceTo(101);
        Assert.Equal(20u, _timer.Read(Value, 4));
        _bench.AdvanceTo(121);
        Assert.Equal([100UL, 121], _bench.Controller.Rises(Combined));
    }

    [Fact]
    public void Integration_test_mode_drives_the_outputs_from_itop()
    {
        _timer.Write(0xF00, 1, 4);
        _timer.Write(0xF04, 2, 4);
        Assert.False(_bench.Controller.Level(Line1));
        Assert.True(_bench.Controller.Level(Line2));
        Assert.True(_bench.Controller.Level(Combined));
        _timer.Write(0xF00, 0, 4);
        Assert.False(_bench.Controller.Level(Combined));
    }
}
