namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>SysTick against the ARMv7-M rules: period RVR+1, COUNTFLAG, TICKINT, CVR writes, clock sources, CALIB.</summary>
public sealed class SysTickTests
{
    private const uint Csr = CoreFixture.Scs + 0x010;
    private const uint Rvr = CoreFixture.Scs + 0x014;
    private const uint Cvr = CoreFixture.Scs + 0x018;
    private const uint Calib = CoreFixture.Scs + 0x01C;

    [Fact]
    public void Interrupt_pends_exactly_every_rvr_plus_one_core_cycles()
    {
        using var f = new CoreFixture();
        f.AdvanceTo(1000);
        f.Write(Rvr, 99);
        f.Write(Cvr, 0);
        f.Write(Csr, 7); // ENABLE, TICKINT, core clock

        f.AdvanceTo(1099);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        Assert.Equal(1u, f.Read(Cvr));
        f.AdvanceTo(1100);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        Assert.Equal(0u, f.Read(Cvr));

        f.Cpu.Nvic.SetPending(ExceptionNumber.SysTick, false);
        f.AdvanceTo(1101);
        Assert.Equal(99u, f.Read(Cvr)); // reloaded one tick after reaching zero
        f.AdvanceTo(1199);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        f.AdvanceTo(1200);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
    }

    [Fact]
    public void Counter_counts_down_from_the_current_value_when_enabled()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 1000);
        f.Write(Csr, 5); // enabled, no interrupt, core clock; CVR is 0 so the first tick reloads
        f.AdvanceTo(1);
        Assert.Equal(1000u, f.Read(Cvr));
        f.AdvanceTo(301);
        Assert.Equal(700u, f.Read(Cvr));
        f.Write(Csr, 4); // stop: the value holds
        f.AdvanceTo(5000);
        Assert.Equal(700u, f.Read(Cvr));
        f.Write(Csr, 5);
        f.AdvanceTo(5100);
        Assert.Equal(600u, f.Read(Cvr));
    }

    [Fact]
    public void Countflag_is_set_by_reaching_zero_and_cleared_by_reading()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 9);
        f.Write(Csr, 5);
        f.AdvanceTo(5);
        Assert.Equal(0u, f.Read(Csr) & (1u << 16));
        f.AdvanceTo(10);
        Assert.Equal(1u << 16, f.Read(Csr) & (1u << 16));
        Assert.Equal(0u, f.Read(Csr) & (1u << 16)); // cleared by the read
        f.AdvanceTo(35); // two more wraps
        Assert.Equal(1u << 16, f.Read(Csr) & (1u << 16));
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick)); // TICKINT clear
    }

    [Fact]
    public void Writing_cvr_clears_the_counter_and_countflag()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 9);
        f.Write(Csr, 5);
        f.AdvanceTo(12);
        f.Write(Cvr, 1234);
        Assert.Equal(0u, f.Read(Cvr));
        Assert.Equal(0u, f.Read(Csr) & (1u << 16));
        f.AdvanceTo(13);
        Assert.Equal(9u, f.Read(Cvr));
    }

    [Fact]
    public void Reference_clock_ticks_at_its_own_rate()
    {
        using var f = new CoreFixture(clockHz: 25_000_000, referenceHz: 1_000_000); // 25 core cycles per tick
        f.Write(Rvr, 9);
        f.Write(Csr, 3); // ENABLE, TICKINT, reference clock
        f.AdvanceTo(25 * 10 - 1);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        f.AdvanceTo(25 * 10);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
    }

    [Fact]
    public void Calib_reports_the_reference_clock_ticks_in_10ms()
    {
        using var f = new CoreFixture(referenceHz: 1_000_000);
        Assert.Equal(9999u, f.Read(Calib));
        using var g = new CoreFixture(referenceHz: 0);
        Assert.Equal(1u << 31, g.Read(Calib)); // NOREF
        Assert.Equal(4u, g.Read(Csr) & 4);    // CLKSOURCE reads as the core clock
    }

    [Fact]
    public void Rvr_holds_24_bits()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 0xFFFFFFFF);
        Assert.Equal(0x00FFFFFFu, f.Read(Rvr));
    }

    [Fact]
    public void Rvr_zero_stops_the_timer_after_the_next_wrap()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 4);
        f.Write(Csr, 7);
        f.AdvanceTo(3); // value 2
        f.Write(Rvr, 0);
        f.AdvanceTo(5);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        f.Cpu.Nvic.SetPending(ExceptionNumber.SysTick, false);
        f.AdvanceTo(100);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        Assert.Equal(0u, f.Read(Cvr));
    }

    [Fact]
    public void Disabling_tickint_cancels_the_scheduled_interrupt()
    {
        using var f = new CoreFixture();
        f.Write(Rvr, 49);
        f.Write(Csr, 7);
        f.AdvanceTo(20);
        f.Write(Csr, 5);
        f.AdvanceTo(200);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        Assert.Equal(ulong.MaxValue, f.Clock.NextEventAt);
    }
}
