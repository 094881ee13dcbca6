namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>SCB registers: CPUID, ICSR, AIRCR reset request, SHCSR, CCR traps, feature IDs, RAZ/WI space.</summary>
public sealed class ScbTests
{
    private const uint Icsr = CoreFixture.Scs + 0xD04;
    private const uint Aircr = CoreFixture.Scs + 0xD0C;
    private const uint Ccr = CoreFixture.Scs + 0xD14;

    [Theory]
    [InlineData("cortex-m0", 0x410CC200u)]
    [InlineData("cortex-m3", 0x412FC231u)]
    [InlineData("cortex-m4f", 0x410FC241u)]
    public void Cpuid_comes_from_the_model(string model, uint cpuid)
    {
        using var f = new CoreFixture(model, priorityBits: model == "cortex-m0" ? 2 : 3);
        Assert.Equal(cpuid, f.Read(CoreFixture.Scs + 0xD00));
    }

    [Fact]
    public void Icsr_reports_active_and_pending_vectors()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.EnableIrq(1, 0x40);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)CoreFixture.Irq(0), f.Read(Icsr) & 0x1FF);
        Assert.Equal(1u << 11, f.Read(Icsr) & (1u << 11)); // RETTOBASE

        f.PendIrq(1);
        uint icsr = f.Read(Icsr);
        Assert.Equal((uint)CoreFixture.Irq(1), (icsr >> 12) & 0x1FF); // VECTPENDING
        Assert.Equal(1u << 22, icsr & (1u << 22));                  // ISRPENDING
        cpu.CheckPendingExceptions();
        Assert.Equal(0u, f.Read(Icsr) & (1u << 11)); // two active: not returning to base
    }

    [Fact]
    public void Icsr_sets_and_clears_pendsv_and_systick_pending()
    {
        using var f = new CoreFixture();
        f.Write(Icsr, 1u << 28);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.PendSV));
        Assert.Equal(1u << 28, f.Read(Icsr) & (1u << 28));
        f.Write(Icsr, 1u << 27);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.PendSV));
        f.Write(Icsr, 1u << 26);
        Assert.True(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
        f.Write(Icsr, 1u << 25);
        Assert.False(f.Cpu.Nvic.IsPending(ExceptionNumber.SysTick));
    }

    [Fact]
    public void Sysresetreq_with_the_key_raises_reset_requested()
    {
        using var f = new CoreFixture();
        int requests = 0;
        f.Cpu.Scb.ResetRequested += () => requests++;
        f.Write(Aircr, 4); // no key
        Assert.Equal(0, requests);
        f.Write(Aircr, 0x05FA0004);
        Assert.Equal(1, requests);
        Assert.True(f.Cpu.ResetRequestPending);
        f.Cpu.Reset();
        Assert.False(f.Cpu.ResetRequestPending);
    }

    [Fact]
    public void Shcsr_enables_configurable_faults_and_shows_pending_svcall()
    {
        using var f = new CoreFixture();
        var shcsr = CoreFixture.Scs + 0xD24;
        f.Write(shcsr, 7u << 16);
        Assert.True(f.Cpu.Nvic.IsEnabled(ExceptionNumber.MemManage));
        Assert.True(f.Cpu.Nvic.IsEnabled(ExceptionNumber.BusFault));
        Assert.True(f.Cpu.Nvic.IsEnabled(ExceptionNumber.UsageFault));
        f.Cpu.WriteSpecialRegister(16, 1, 0);
        f.Cpu.SupervisorCall(); // escalates: PRIMASK blocks SVCall
        Assert.Equal(0u, f.Read(shcsr) & (1u << 15));
        f.Cpu.WriteSpecialRegister(16, 0, 0);
        f.Cpu.Nvic.SetPending(ExceptionNumber.HardFault, false);
        f.Cpu.SupervisorCall();
        Assert.Equal(1u << 15, f.Read(shcsr) & (1u << 15));
    }

    [Fact]
    public void Ccr_trap_bits_drive_the_engine_flags()
    {
        using var f = new CoreFixture();
        Assert.Equal(0x200u, f.Read(Ccr));
        Assert.False(f.Cpu.UnalignedTrap);
        f.Write(Ccr, 0x218);
        Assert.True(f.Cpu.UnalignedTrap);
        Assert.True(f.Cpu.DivideByZeroTrap);

        using var m0 = new CoreFixture("cortex-m0", priorityBits: 2);
        Assert.Equal(0x208u, m0.Read(Ccr));
        Assert.True(m0.Cpu.UnalignedTrap);
    }

    [Fact]
    public void Feature_id_registers_describe_armv7m_and_read_zero_on_armv6m()
    {
        using var f = new CoreFixture();
        Assert.Equal(0x00000030u, f.Read(CoreFixture.Scs + 0xD40)); // ID_PFR0: Thumb-2
        Assert.NotEqual(0u, f.Read(CoreFixture.Scs + 0xD60));        // ID_ISAR0
        using var m0 = new CoreFixture("cortex-m0", priorityBits: 2);
        Assert.Equal(0u, m0.Read(CoreFixture.Scs + 0xD40));
    }

    [Fact]
    public void Cpacr_and_mvfr_exist_only_with_an_fpu()
    {
        using var f = new CoreFixture("cortex-m4f");
        f.Write(CoreFixture.Scs + 0xD88, 0x00F00000);
        Assert.Equal(0x00F00000u, f.Read(CoreFixture.Scs + 0xD88));
        Assert.Equal(0x10110021u, f.Read(CoreFixture.Scs + 0xF40));
        Assert.Equal(0xC0000000u, f.Read(CoreFixture.Scs + 0xF34)); // FPCCR reset: ASPEN, LSPEN

        using var m3 = new CoreFixture();
        m3.Write(CoreFixture.Scs + 0xD88, 0x00F00000);
        Assert.Equal(0u, m3.Read(CoreFixture.Scs + 0xD88));
        Assert.Equal(0u, m3.Read(CoreFixture.Scs + 0xF40));
    }

    [Fact]
    public void Unimplemented_scs_addresses_read_as_zero_and_ignore_writes()
    {
        using var f = new CoreFixture();
        f.Write(CoreFixture.Scs + 0xC00, 0x12345678);
        Assert.Equal(0u, f.Read(CoreFixture.Scs + 0xC00));
    }

    [Fact]
    public void Reset_restores_system_registers()
    {
        using var f = new CoreFixture();
        f.Write(CoreFixture.Scs + 0xD08, 0x8000);
        f.EnableIrq(3, 0x40);
        f.Write(CoreFixture.Scs + 0xD10, 0x16);
        f.Cpu.Reset();
        Assert.Equal(0u, f.Read(CoreFixture.Scs + 0xD08));
        Assert.Equal(0u, f.Read(CoreFixture.Scs + 0x100));
        Assert.Equal(0u, f.Read(CoreFixture.Scs + 0xD10));
        Assert.Equal(0, f.Cpu.Nvic.Priority(CoreFixture.Irq(3)));
    }
}
