using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Peripherals.Timers;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class WatchdogTests
{
    private const uint Load = 0x00, Value = 0x04, Control = 0x08, IntClr = 0x0C, Ris = 0x10, Mis = 0x14, Lock = 0xC00;

    private readonly TestBench _bench = new();
    private readonly CmsdkApbWatchdog _dog;

    public WatchdogTests()
    {
        _dog = new CmsdkApbWatchdog("watchdog", _bench.Clock, _bench.Line(InterruptRouter.NmiLine));
    }

    [Fact]
    public void Reset_values_match_qemu()
    {
        Assert.Equal(0xFFFFFFFFu, _dog.Read(Load, 4));
        Assert.Equal(0xFFFFFFFFu, _dog.Read(Value, 4));
        Assert.Equal(0u, _dog.Read(Control, 4));
        Assert.Equal(0u, _dog.Read(Lock, 4));
        Assert.Equal(0x24u, _dog.Read(0xFE0, 4));
    }

    [Fact]
    public void Counts_only_while_inten_and_raises_the_nmi_at_zero()
    {
        _dog.Write(Load, 1000, 4);
        _bench.Advance(5000);
        Assert.Equal(1000u, _dog.Read(Value, 4));
        _dog.Write(Control, 1, 4);
        _bench.Advance(999);
        Assert.Empty(_bench.NmiLevels);
        _bench.Advance(1);
        Assert.Equal(1u, _dog.Read(Ris, 4));
        Assert.Equal(1u, _dog.Read(Mis, 4));
        Assert.Equal([(true, 6000UL)], _bench.NmiLevels);
    }

    [Fact]
    public void Feeding_clears_the_interrupt_and_restarts_the_count()
    {
        bool reset = false;
        _dog.ResetRequested += _ => reset = true;
        _dog.Write(Load, 100, 4);
        _dog.Write(Control, 3, 4); // INTEN | RESEN
        _bench.Advance(100);
        _dog.Write(IntClr, 1, 4);
        Assert.Equal(0u, _dog.Read(Ris, 4));
        Assert.Equal(100u, _dog.Read(Value, 4));
        _bench.Advance(150);
        Assert.False(reset); // fed in time: only the interrupt fired again
        _bench.Advance(101);
        Assert.True(reset); // not fed: the second expiry with the interrupt pending resets
    }

    [Fact]
    public void Lock_protects_the_registers_until_the_key_is_written()
    {
        _dog.Write(Lock, 0, 4);
        Assert.Equal(1u, _dog.Read(Lock, 4));
        _dog.Write(Load, 5, 4);
        Assert.Equal(0xFFFFFFFFu, _dog.Read(Load, 4));
        _dog.Write(Lock, 0x1ACCE551, 4);
        Assert.Equal(0u, _dog.Read(Lock, 4));
        _dog.Write(Load, 5, 4);
        Assert.Equal(5u, _dog.Read(Load, 4));
    }
}
