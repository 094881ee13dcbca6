namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>Preemption by group priority (AIRCR.PRIGROUP), masking by PRIMASK/BASEPRI/FAULTMASK, execution priority.</summary>
public sealed class PriorityTests
{
    private const uint Aircr = CoreFixture.Scs + 0xD0C;

    [Theory]
    [InlineData(0, true)]  // group = bits [7:1]: 0x40 and 0x60 are different groups
    [InlineData(4, true)]  // group = bits [7:5]: 0x40 vs 0x60 still differ (bit 5)
    [InlineData(5, false)] // group = bits [7:6]: both in group 0x40, 0x60's extra bit is sub-priority
    [InlineData(6, false)] // group = bit 7: both group 0
    public void Preemption_compares_group_priority_only(int priGroup, bool preempts)
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Aircr, 0x05FA0000 | ((uint)priGroup << 8));
        f.EnableIrq(0, 0x60);
        f.EnableIrq(1, 0x40);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        f.PendIrq(1);

        Assert.Equal(preempts, cpu.CheckPendingExceptions());
        Assert.Equal((uint)CoreFixture.Irq(preempts ? 1 : 0), cpu.Ipsr);
    }

    [Fact]
    public void Sub_priority_decides_which_of_two_pending_exceptions_in_one_group_runs_first()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Aircr, 0x05FA0000 | (6u << 8)); // group = bit 7 only
        f.EnableIrq(0, 0x60);
        f.EnableIrq(1, 0x20);
        f.PendIrq(0);
        f.PendIrq(1);
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)CoreFixture.Irq(1), cpu.Ipsr);
    }

    [Fact]
    public void Equal_priority_goes_to_the_lower_exception_number()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(7, 0x20);
        f.EnableIrq(3, 0x20);
        f.PendIrq(7);
        f.PendIrq(3);
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)CoreFixture.Irq(3), cpu.Ipsr);
    }

    [Fact]
    public void Aircr_write_without_the_key_is_ignored_and_reads_return_0xfa05()
    {
        using var f = new CoreFixture();
        f.Write(Aircr, 5u << 8);
        Assert.Equal(0xFA050000u, f.Read(Aircr));
        f.Write(Aircr, 0x05FA0000 | (5u << 8));
        Assert.Equal(0xFA050500u, f.Read(Aircr));
    }

    [Fact]
    public void Primask_blocks_configurable_priorities_but_not_nmi_or_hardfault()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.ChangeProcessorState(disable: true, affectI: true, affectF: false);
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        Assert.False(cpu.CheckPendingExceptions());
        Assert.Equal(0, cpu.ExecutionPriority());

        f.Write(CoreFixture.Scs + 0xD04, 1u << 31); // ICSR.NMIPENDSET
        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal((uint)ExceptionNumber.Nmi, cpu.Ipsr);
        Assert.Equal(-2, cpu.ExecutionPriority());
    }

    [Fact]
    public void Clearing_primask_lets_the_pending_interrupt_in()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(16, 1, 0);
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        Assert.False(cpu.CheckPendingExceptions());
        Assert.False(cpu.ExceptionCheckNeeded);
        cpu.ChangeProcessorState(disable: false, affectI: true, affectF: false);
        Assert.True(cpu.ExceptionCheckNeeded);
        Assert.True(cpu.CheckPendingExceptions());
    }

    [Fact]
    public void Basepri_masks_priorities_at_or_below_its_group_value()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(17, 0x40, 0);
        Assert.Equal(0x40, cpu.ExecutionPriority());
        f.EnableIrq(0, 0x40);
        f.EnableIrq(1, 0x20);
        f.PendIrq(0);
        Assert.False(cpu.CheckPendingExceptions());
        f.PendIrq(1);
        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal((uint)CoreFixture.Irq(1), cpu.Ipsr);
    }

    [Fact]
    public void Basepri_max_only_raises_the_priority_mask()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(17, 0x40, 0);
        cpu.WriteSpecialRegister(18, 0x80, 0); // lower priority: ignored
        Assert.Equal(0x40u, cpu.ReadSpecialRegister(17));
        cpu.WriteSpecialRegister(18, 0x20, 0);
        Assert.Equal(0x20u, cpu.ReadSpecialRegister(17));
        cpu.WriteSpecialRegister(18, 0, 0); // zero: ignored
        Assert.Equal(0x20u, cpu.ReadSpecialRegister(17));
    }

    [Fact]
    public void Basepri_keeps_only_implemented_priority_bits()
    {
        using var f = new CoreFixture(priorityBits: 3);
        f.Cpu.WriteSpecialRegister(17, 0xFF, 0);
        Assert.Equal(0xE0u, f.Cpu.ReadSpecialRegister(17));
    }

    [Fact]
    public void Faultmask_raises_execution_priority_to_minus_one_and_is_cleared_by_exception_return()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.WriteSpecialRegister(19, 1, 0);
        Assert.Equal(-1, cpu.ExecutionPriority());
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.False(cpu.Faultmask);
    }

    [Fact]
    public void Faultmask_cannot_be_set_in_the_hardfault_handler()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        cpu.ChangeProcessorState(disable: true, affectI: false, affectF: true);
        Assert.False(cpu.Faultmask);
    }

    [Fact]
    public void Execution_priority_is_the_highest_active_group_priority()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        Assert.Equal(256, cpu.ExecutionPriority());
        f.EnableIrq(0, 0xA0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.Equal(0xA0, cpu.ExecutionPriority());
    }

    [Fact]
    public void System_handler_priorities_are_programmed_through_shpr_bytes()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Bus.Write8(CoreFixture.Scs + 0xD22, 0x60); // SHPR3 byte 2: PendSV
        f.Bus.Write8(CoreFixture.Scs + 0xD23, 0x20); // SHPR3 byte 3: SysTick
        Assert.Equal(0x20600000u, f.Read(CoreFixture.Scs + 0xD20));
        Assert.Equal(0x60, cpu.Nvic.Priority(ExceptionNumber.PendSV));

        f.Write(CoreFixture.Scs + 0xD04, (1u << 28) | (1u << 26)); // PENDSVSET, PENDSTSET
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)ExceptionNumber.SysTick, cpu.Ipsr);
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal((uint)ExceptionNumber.PendSV, cpu.Ipsr); // tail-chained
    }
}
