using EdgeVisor.Emulation.Peripherals.Timers;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class TimerTests
{
    private const uint Ctrl = 0x00, Value = 0x04, Reload = 0x08, IntStatus = 0x0C;
    private const uint Enable = 1, ExtEnable = 2, ExtClock = 4, IrqEnable = 8;
    private const int Line = 8;

    private readonly TestBench _bench = new();
    private readonly CmsdkApbTimer _timer;

    public TimerTests()
    {
        _timer = new CmsdkApbTimer("timer0", _bench.Clock, _bench.Line(Line));
        _timer.Reset();
    }

    [Fact]
    public void Reset_values_and_identification()
    {
        Assert.Equal(0u, _timer.Read(Ctrl, 4));
        Assert.Equal(0u, _timer.Read(Value, 4));
        Assert.Equal(0u, _timer.Read(Reload, 4));
        Assert.Equal(0u, _timer.Read(IntStatus, 4));
        Assert.Equal(0x22u, _timer.Read(0xFE0, 4));
        Assert.Equal(0xB8u, _timer.Read(0xFE4, 4));
    }

    [Fact]
    public void Counts_down_one_per_cycle_and_reloads_one_cycle_after_reaching_zero()
    {
        _timer.Write(Reload, 99, 4);
        Assert.Equal(99u, _timer.Read(Value, 4)); // writing RELOAD loads the counter
        _timer.Write(Ctrl, Enable, 4);
        _bench.Advance(10);
        Assert.Equal(89u, _timer.Read(Value, 4));
        _bench.AdvanceTo(99);
        Assert.Equal(0u, _timer.Read(Value, 4));
        _bench.AdvanceTo(100);
        Assert.Equal(99u, _timer.Read(Value, 4));
        _bench.AdvanceTo(101);
        Assert.Equal(98u, _timer.Read(Value, 4));
    }

    [Fact]
    public void Interrupt_fires_at_the_exact_cycle_the_count_reaches_zero_then_every_reload_plus_one()
    {
        _timer.Write(Reload, 99, 4);
        _timer.Write(Ctrl, Enable | IrqEnable, 4);
        var seen = new List<ulong>();
        for (int i = 0; i < 3; i++)
        {
            while (!_bench.Controller.Level(Line))
            {
                _bench.Advance(1);
            }

            seen.Add(_bench.Clock.Now);
            Assert.Equal(1u, _timer.Read(IntStatus, 4));
            _timer.Write(IntStatus, 1, 4);
            Assert.False(_bench.Controller.Level(Line));
        }

        Assert.Equal([99UL, 199, 299], seen);
    }

    [Fact]
    public void Without_irqen_reaching_zero_sets_no_status()
    {
        _timer.Write(Reload, 10, 4);
        _timer.Write(Ctrl, Enable, 4);
        _bench.Advance(50);
        Assert.Equal(0u, _timer.Read(IntStatus, 4));
        Assert.Empty(_bench.Controller.Changes);
    }

    [Fact]
    public void Disabling_freezes_the_count()
    {
        _timer.Write(Reload, 1000, 4);
        _timer.Write(Ctrl, Enable, 4);
        _bench.Advance(100);
        _timer.Write(Ctrl, 0, 4);
        _bench.Advance(500);
        Assert.Equal(900u, _timer.Read(Value, 4));
        _timer.Write(Ctrl, Enable, 4);
        _bench.Advance(100);
        Assert.Equal(800u, _timer.Read(Value, 4));
    }

    [Fact]
    public void With_reload_zero_the_counter_counts_value_down_once_and_stops()
    {
        _timer.Write(Value, 5, 4);
        _timer.Write(Ctrl, Enable | IrqEnable, 4);
        _bench.Advance(100);
        Assert.Equal([5UL], _bench.Controller.Rises(Line));
        Assert.Equal(0u, _timer.Read(Value, 4));
    }

    [Fact]
    public void Extin_as_enable_gates_the_count()
    {
        _timer.Write(Reload, 1000, 4);
        _timer.Write(Ctrl, Enable | ExtEnable, 4);
        _bench.Advance(10);
        _timer.ExternalInput.Drive(false);
        _bench.Advance(300);
        Assert.Equal(990u, _timer.Read(Value, 4));
        _timer.ExternalInput.Drive(true);
        _bench.Advance(40);
        Assert.Equal(950u, _timer.Read(Value, 4));
    }

    [Fact]
    public void Extin_as_clock_counts_rising_edges_only()
    {
        _timer.ExternalInput.Drive(false);
        _timer.Write(Reload, 2, 4);
        _timer.Write(Ctrl, Enable | ExtClock | IrqEnable, 4);
        _bench.Advance(1000);
        Assert.Equal(2u, _timer.Read(Value, 4)); // PCLK does not count
        _timer.ExternalInput.Drive(true);
        _timer.ExternalInput.Drive(false);
        Assert.Equal(1u, _timer.Read(Value, 4));
        _bench.Advance(7);
        _timer.ExternalInput.Drive(true);
        Assert.Equal(0u, _timer.Read(Value, 4));
        Assert.Equal([1007UL], _bench.Controller.Rises(Line));
    }
}
