namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>WFI/WFE/SEV, the event register, SEVONPEND, and waking on interrupts.</summary>
public sealed class SleepTests
{
    private const uint Scr = CoreFixture.Scs + 0xD10;

    [Fact]
    public void Wfi_sleeps_until_an_interrupt_that_can_preempt_pends()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x40);
        cpu.WaitForInterrupt();
        Assert.True(cpu.Sleeping);
        cpu.Nvic.Pulse(0);
        Assert.False(cpu.Sleeping);
        Assert.True(cpu.CheckPendingExceptions());
    }

    [Fact]
    public void Wfi_does_not_sleep_when_an_interrupt_is_already_pending()
    {
        using var f = new CoreFixture();
        f.EnableIrq(0, 0x40);
        f.PendIrq(0);
        f.Cpu.WaitForInterrupt();
        Assert.False(f.Cpu.Sleeping);
    }

    [Fact]
    public void Wfi_wakes_on_an_interrupt_masked_only_by_primask_without_taking_it()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(16, 1, 0);
        f.EnableIrq(0, 0x40);
        cpu.WaitForInterrupt();
        Assert.True(cpu.Sleeping);
        cpu.Nvic.Pulse(0);
        Assert.False(cpu.Sleeping);
        Assert.False(cpu.CheckPendingExceptions());
    }

    [Fact]
    public void Wfi_stays_asleep_for_a_disabled_or_basepri_masked_interrupt()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(17, 0x40, 0);
        f.EnableIrq(1, 0x80);
        cpu.WaitForInterrupt();
        cpu.Nvic.Pulse(0); // disabled line
        cpu.Nvic.Pulse(1); // masked by BASEPRI
        Assert.True(cpu.Sleeping);
        cpu.WriteSpecialRegister(17, 0, 0); // unmasking wakes
        Assert.False(cpu.Sleeping);
    }

    [Fact]
    public void Wfe_consumes_a_set_event_register_without_sleeping()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.SendEvent();
        cpu.WaitForEvent();
        Assert.False(cpu.Sleeping);
        Assert.False(cpu.EventRegister);
        cpu.WaitForEvent();
        Assert.True(cpu.Sleeping);
    }

    [Fact]
    public void Wfe_wakes_on_sev_and_clears_the_event()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WaitForEvent();
        Assert.True(cpu.Sleeping);
        cpu.SendEvent();
        Assert.False(cpu.Sleeping);
        Assert.False(cpu.EventRegister);
    }

    [Fact]
    public void Sevonpend_wakes_wfe_on_a_disabled_interrupt_becoming_pending()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WaitForEvent();
        cpu.Nvic.Pulse(3); // disabled, SEVONPEND clear: keeps sleeping
        Assert.True(cpu.Sleeping);
        f.Write(CoreFixture.Scs + 0x280, 1u << 3);

        f.Write(Scr, 1u << 4);
        cpu.Nvic.Pulse(3);
        Assert.False(cpu.Sleeping);
    }

    [Fact]
    public void Wfe_with_primask_does_not_wake_on_a_masked_interrupt()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(16, 1, 0);
        f.EnableIrq(0, 0x40);
        cpu.WaitForEvent();
        cpu.Nvic.Pulse(0);
        Assert.True(cpu.Sleeping);
    }

    [Fact]
    public void Systick_wakes_a_sleeping_core_at_the_exact_cycle()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0x014, 499);
        f.Write(CoreFixture.Scs + 0x010, 7);
        cpu.WaitForInterrupt();
        f.AdvanceTo(499);
        Assert.True(cpu.Sleeping);
        f.AdvanceTo(f.Clock.NextEventAt);
        Assert.Equal(500ul, f.Clock.Now);
        Assert.False(cpu.Sleeping);
        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal((uint)ExceptionNumber.SysTick, cpu.Ipsr);
    }
}
