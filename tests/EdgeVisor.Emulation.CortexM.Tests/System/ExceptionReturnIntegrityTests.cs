namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>Exception return corner cases: unstacking errors, inconsistent frames, cleared active state, NMI and FAULTMASK.</summary>
public sealed class ExceptionReturnIntegrityTests
{
    private const uint Cfsr = CoreFixture.Scs + 0xD28;

    [Fact]
    public void Unstacking_from_unmapped_memory_is_a_bus_fault_with_unstkerr_taken_without_unstacking()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD24, 1u << 17); // BusFault enabled
        cpu.Psp = 0x30000000;                      // nothing mapped there
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint msp = cpu.R[13];

        cpu.ExceptionReturn(0xFFFFFFFD); // return to Thread on the (bogus) PSP
        Assert.Equal((uint)ExceptionNumber.BusFault, cpu.Ipsr);
        Assert.Equal(1u << 11, f.Read(Cfsr) & (1u << 11)); // UNSTKERR
        Assert.Equal(msp, cpu.R[13]);
        Assert.Equal(0xFFFFFFFDu, cpu.R[14]);
    }

    [Fact]
    public void Frame_whose_stacked_ipsr_disagrees_with_exc_return_is_invpc()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD24, 1u << 18);
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        f.Write(cpu.R[13] + 0x1C, 0x01000013); // the handler corrupts the stacked xPSR: IPSR 19 for a Thread return

        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal((uint)ExceptionNumber.UsageFault, cpu.Ipsr);
        Assert.Equal(1u << 18, f.Read(Cfsr));
    }

    [Fact]
    public void Returning_from_an_exception_made_inactive_through_shcsr_is_invpc()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.SupervisorCall();
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)ExceptionNumber.SVCall, cpu.Ipsr);
        f.Write(CoreFixture.Scs + 0xD24, 0); // clear SVCALLACT

        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 18, f.Read(Cfsr));
    }

    [Fact]
    public void Nmi_return_keeps_faultmask_other_returns_clear_it()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD04, 1u << 31);
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)ExceptionNumber.Nmi, cpu.Ipsr);
        cpu.Faultmask = true;
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.True(cpu.Faultmask);
    }

    [Fact]
    public void Vectclractive_clears_every_active_exception()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        f.Write(CoreFixture.Scs + 0xD0C, 0x05FA0002);
        Assert.False(cpu.Nvic.IsActive(CoreFixture.Irq(0)));
        Assert.Equal(256, cpu.ExecutionPriority());
    }

    [Fact]
    public void Unprivileged_thread_is_recorded_in_fpccr_user_for_lazy_preservation()
    {
        using var f = new CoreFixture("cortex-m4f");
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD88, 0xF << 20);
        f.EnableIrq(0, 0);
        cpu.FpAccessCheck();
        cpu.WriteSpecialRegister(20, 5, 0); // nPRIV, keep FPCA: the SCS is out of reach from here
        cpu.Nvic.Pulse(0);
        cpu.CheckPendingExceptions();
        Assert.Equal(1u << 1, f.Read(CoreFixture.Scs + 0xF34) & (1u << 1));
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(5u, cpu.Control);
    }

    [Fact]
    public void Stir_does_not_exist_on_armv6m()
    {
        using var f = new CoreFixture("cortex-m0", priorityBits: 2);
        f.Write(CoreFixture.Scs + 0xF00, 3);
        Assert.False(f.Cpu.Nvic.IsPending(CoreFixture.Irq(3)));
    }

    [Fact]
    public void Armv6m_svc_with_primask_set_escalates_to_hardfault()
    {
        using var f = new CoreFixture("cortex-m0", priorityBits: 2);
        var cpu = f.Cpu;
        cpu.ChangeProcessorState(disable: true, affectI: true, affectF: false);
        cpu.SupervisorCall();
        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
    }
}
