using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>Fault reporting, escalation to HardFault, lockup, bad EXC_RETURN, ARMv6-M faults.</summary>
public sealed class FaultTests
{
    private const uint Shcsr = CoreFixture.Scs + 0xD24;
    private const uint Cfsr = CoreFixture.Scs + 0xD28;
    private const uint Hfsr = CoreFixture.Scs + 0xD2C;

    [Fact]
    public void Disabled_usage_fault_escalates_to_hardfault_with_forced()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.Pc = 0x1100;
        cpu.RaiseFault(FaultType.UndefinedInstruction, 0x1100);

        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 16, f.Read(Cfsr)); // UNDEFINSTR
        Assert.Equal(1u << 30, f.Read(Hfsr)); // FORCED
        Assert.Equal(0x1100u, f.Read(cpu.R[13] + 0x18)); // return address = the faulting instruction
    }

    [Fact]
    public void Enabled_usage_fault_is_taken_as_usage_fault()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 18); // USGFAULTENA
        cpu.Pc = 0x1100;
        cpu.RaiseFault(FaultType.DivideByZero, 0);

        Assert.Equal((uint)ExceptionNumber.UsageFault, cpu.Ipsr);
        Assert.Equal(1u << 25, f.Read(Cfsr));
        Assert.Equal(0u, f.Read(Hfsr));
        Assert.Equal(1u << 3 | 1u << 18, f.Read(Shcsr)); // USGFAULTACT + enable
    }

    [Fact]
    public void Usage_fault_that_cannot_preempt_its_own_priority_escalates()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 18);
        f.Bus.Write8(CoreFixture.Scs + 0xD1A, 0x40); // UsageFault priority
        f.EnableIrq(0, 0x20);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();

        cpu.RaiseFault(FaultType.Unaligned, 0);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 30, f.Read(Hfsr));
    }

    [Fact]
    public void Precise_bus_fault_records_bfar_and_clears_by_writing_one()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 17);
        cpu.RaiseFault(FaultType.PreciseBusError, 0x60000004);
        Assert.Equal((uint)ExceptionNumber.BusFault, cpu.Ipsr);
        Assert.Equal((1u << 9) | (1u << 15), f.Read(Cfsr) & 0xFF00);
        Assert.Equal(0x60000004u, f.Read(CoreFixture.Scs + 0xD38));

        f.Write(Cfsr, 1u << 9);
        Assert.Equal(1u << 15, f.Read(Cfsr));
        f.Bus.Write8(Cfsr + 1, 0x80); // byte write to BFSR clears BFARVALID
        Assert.Equal(0u, f.Read(Cfsr));
        Assert.Contains("PRECISERR", new FaultStatus { Cfsr = 1u << 9 }.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mpu_data_violation_records_mmfar()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 16);
        cpu.RaiseFault(FaultType.MemManageData, 0x20001000);
        Assert.Equal((uint)ExceptionNumber.MemManage, cpu.Ipsr);
        Assert.Equal((1u << 1) | (1u << 7), f.Read(Cfsr));
        Assert.Equal(0x20001000u, f.Read(CoreFixture.Scs + 0xD34));
    }

    [Fact]
    public void Fault_in_the_hardfault_handler_locks_up()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        uint sp = cpu.R[13];

        cpu.RaiseFault(FaultType.InvalidState, 0);
        Assert.True(cpu.LockedUp);
        Assert.Equal(CortexMCpu.LockupAddress, cpu.Pc);
        Assert.Equal(sp, cpu.R[13]); // nothing stacked
        Assert.Contains("locked up", cpu.DescribeFaultStatus(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fault_with_faultmask_set_locks_up()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(19, 1, 0);
        cpu.RaiseFault(FaultType.DivideByZero, 0);
        Assert.True(cpu.LockedUp);
    }

    [Fact]
    public void Locked_up_core_asks_the_engine_to_stop_with_lockup()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        Assert.Equal(StopReason.Lockup, cpu.Run(1000));
        ulong now = f.Clock.Now;
        Assert.Equal(StopReason.Lockup, cpu.Run(2000)); // stays locked up, and no time passes executing
        Assert.Equal(now, f.Clock.Now);
        Assert.Equal(CortexMCpu.LockupAddress, cpu.Pc);
    }

    [Fact]
    public void Unreadable_vector_is_a_hardfault_with_vecttbl_and_lockup_if_hardfault_vector_is_unreadable()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD08, 0x0003FF80); // vector table at the end of code memory: IRQs beyond it are unmapped
        f.Write(0x0003FF80 + (4 * 3), 0x2031);       // HardFault vector is readable
        f.EnableIrq(20, 0);
        f.PendIrq(20);
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 1, f.Read(Hfsr));
        Assert.Equal(0x2030u, cpu.Pc);

        using var g = new CoreFixture();
        g.Write(CoreFixture.Scs + 0xD08, 0x7FFFFF80); // nothing mapped there at all
        g.Cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        Assert.True(g.Cpu.LockedUp);
    }

    [Fact]
    public void Illegal_exc_return_is_an_invpc_usage_fault_taken_on_the_existing_frame()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 18);
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint sp = cpu.R[13];

        cpu.ExceptionReturn(0xFFFFFFF5); // reserved return kind
        Assert.Equal((uint)ExceptionNumber.UsageFault, cpu.Ipsr);
        Assert.Equal(1u << 18, f.Read(Cfsr));
        Assert.Equal(sp, cpu.R[13]);
        Assert.Equal(0xFFFFFFF5u, cpu.R[14]);
        Assert.False(cpu.Nvic.IsActive(CoreFixture.Irq(0)));
    }

    [Fact]
    public void Return_to_thread_with_other_exceptions_active_is_invpc_unless_nonbasethrdena()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.EnableIrq(1, 0x20);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        f.PendIrq(1);
        cpu.CheckPendingExceptions();
        cpu.ExceptionReturn(0xFFFFFFF9);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 18, f.Read(Cfsr));
    }

    [Fact]
    public void Breakpoint_without_debugger_is_a_hardfault_with_debugevt()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.RaiseFault(FaultType.BreakpointNoDebugger, 0);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(1u << 31, f.Read(Hfsr));
        Assert.Equal(1u << 1, f.Read(CoreFixture.Scs + 0xD30));
    }

    [Fact]
    public void Armv6m_reports_every_fault_as_hardfault_without_status_registers()
    {
        using var f = new CoreFixture("cortex-m0", priorityBits: 2);
        var cpu = f.Cpu;
        cpu.RaiseFault(FaultType.Unaligned, 0x20000001);
        Assert.Equal((uint)ExceptionNumber.HardFault, cpu.Ipsr);
        Assert.Equal(0u, f.Read(Cfsr));
        Assert.Equal(0u, f.Read(Hfsr));
        Assert.Equal(0xFFFFFFF9u, cpu.R[14]);
    }

    [Fact]
    public void Stacking_into_unmapped_memory_pends_a_derived_bus_fault_with_stkerr()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(Shcsr, 1u << 17);
        cpu.R[13] = 0x30000000; // nothing mapped below
        f.EnableIrq(0, 0x80);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();

        Assert.Equal(1u << 12, f.Read(Cfsr));
        Assert.True(cpu.Nvic.IsPending(ExceptionNumber.BusFault));
        Assert.True(cpu.CheckPendingExceptions()); // the derived fault preempts before the handler runs
        Assert.Equal((uint)ExceptionNumber.BusFault, cpu.Ipsr);
    }

    [Fact]
    public void Svc_pends_svcall_and_escalates_when_it_cannot_preempt()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.SupervisorCall();
        Assert.True(cpu.Nvic.IsPending(ExceptionNumber.SVCall));
        cpu.Pc = 0x1202;
        cpu.CheckPendingExceptions();
        Assert.Equal((uint)ExceptionNumber.SVCall, cpu.Ipsr);
        Assert.Equal(0x1202u, f.Read(cpu.R[13] + 0x18));

        cpu.SupervisorCall(); // SVC inside the SVCall handler
        Assert.True(cpu.Nvic.IsPending(ExceptionNumber.HardFault));
        Assert.Equal(1u << 30, f.Read(Hfsr));
    }
}
