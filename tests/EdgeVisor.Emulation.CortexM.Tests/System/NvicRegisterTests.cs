using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>NVIC register semantics (set/clear pairs, IABR, byte-accessible IPR, STIR) and level/pulse inputs.</summary>
public sealed class NvicRegisterTests
{
    private const uint Iser = CoreFixture.Scs + 0x100;
    private const uint Icer = CoreFixture.Scs + 0x180;
    private const uint Ispr = CoreFixture.Scs + 0x200;
    private const uint Icpr = CoreFixture.Scs + 0x280;
    private const uint Iabr = CoreFixture.Scs + 0x300;
    private const uint Ipr = CoreFixture.Scs + 0x400;
    private const uint Stir = CoreFixture.Scs + 0xF00;

    [Fact]
    public void Set_enable_and_clear_enable_registers_write_ones_only()
    {
        using var f = new CoreFixture(interrupts: 40);
        f.Write(Iser, 0x0000_0005);
        f.Write(Iser, 0x0000_0100);
        Assert.Equal(0x105u, f.Read(Iser));
        Assert.Equal(0x105u, f.Read(Icer));
        f.Write(Icer, 0x4);
        Assert.Equal(0x101u, f.Read(Iser));
        f.Write(Iser + 4, 0xFFFFFFFF); // lines 32..39 exist, the rest read as zero
        Assert.Equal(0xFFu, f.Read(Iser + 4));
    }

    [Fact]
    public void Set_pending_and_clear_pending_registers()
    {
        using var f = new CoreFixture();
        f.Write(Ispr, 0x30);
        Assert.Equal(0x30u, f.Read(Ispr));
        Assert.Equal(0x30u, f.Read(Icpr));
        f.Write(Icpr, 0x10);
        Assert.Equal(0x20u, f.Read(Ispr));
        Assert.False(f.Cpu.CheckPendingExceptions()); // pending but disabled
    }

    [Fact]
    public void Active_bit_register_reflects_the_handler_being_run()
    {
        using var f = new CoreFixture();
        f.EnableIrq(9, 0);
        f.PendIrq(9);
        f.Cpu.CheckPendingExceptions();
        Assert.Equal(1u << 9, f.Read(Iabr));
        f.Write(Iabr, 0); // read-only
        Assert.Equal(1u << 9, f.Read(Iabr));
    }

    [Fact]
    public void Priority_registers_are_byte_accessible_and_keep_only_implemented_bits()
    {
        using var f = new CoreFixture(priorityBits: 3);
        f.Bus.Write8(Ipr + 5, 0xFF);
        f.Bus.Write16(Ipr + 6, 0x4321);
        Assert.Equal(0x4020E000u, f.Read(Ipr + 4));
        Assert.Equal(0xE0, f.Cpu.Nvic.Priority(CoreFixture.Irq(5)));
        Assert.Equal(0x20, f.Bus.Read8(Ipr + 6));
        f.Write(Ipr + 8, 0x11223344);
        Assert.Equal(0x00202040u, f.Read(Ipr + 8));
    }

    [Fact]
    public void Software_trigger_register_pends_an_interrupt()
    {
        using var f = new CoreFixture();
        f.EnableIrq(12, 0);
        f.Write(Stir, 12);
        Assert.True(f.Cpu.Nvic.IsPending(CoreFixture.Irq(12)));
        Assert.True(f.Cpu.CheckPendingExceptions());
        Assert.Equal((uint)CoreFixture.Irq(12), f.Cpu.Ipsr);
    }

    [Fact]
    public void Unprivileged_access_to_the_scs_is_a_bus_fault_except_stir_with_usersetmpend()
    {
        using var f = new CoreFixture();
        f.Cpu.WriteSpecialRegister(20, 1, 0); // CONTROL.nPRIV
        Assert.False(f.Cpu.Privileged);
        Assert.Throws<BusFaultException>(() => f.Read(Iser));
        Assert.Throws<BusFaultException>(() => f.Write(Stir, 3));

        using var g = new CoreFixture();
        g.Write(CoreFixture.Scs + 0xD14, (1u << 9) | (1u << 1)); // CCR.USERSETMPEND
        g.Cpu.WriteSpecialRegister(20, 1, 0);
        g.Write(Stir, 3);
        Assert.True(g.Cpu.Nvic.IsPending(CoreFixture.Irq(3)));
    }

    [Fact]
    public void Level_input_pends_while_high_and_pends_again_on_return_if_still_high()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(2, 0);
        cpu.Nvic.SetLevel(2, true);
        Assert.True(cpu.Nvic.IsPending(CoreFixture.Irq(2)));
        cpu.CheckPendingExceptions();
        Assert.False(cpu.Nvic.IsPending(CoreFixture.Irq(2)));

        cpu.ExceptionReturn(cpu.R[14]); // the handler did not clear the source: taken again (tail-chained)
        Assert.Equal((uint)CoreFixture.Irq(2), cpu.Ipsr);

        cpu.Nvic.SetLevel(2, false);
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0u, cpu.Ipsr);
        Assert.False(cpu.Nvic.IsPending(CoreFixture.Irq(2)));
    }

    [Fact]
    public void Clear_pending_does_not_clear_an_asserted_level_input()
    {
        using var f = new CoreFixture();
        f.Cpu.Nvic.SetLevel(4, true);
        f.Write(Icpr, 1u << 4);
        Assert.True(f.Cpu.Nvic.IsPending(CoreFixture.Irq(4)));
        f.Cpu.Nvic.SetLevel(4, false);
        f.Write(Icpr, 1u << 4);
        Assert.False(f.Cpu.Nvic.IsPending(CoreFixture.Irq(4)));
    }

    [Fact]
    public void Pulse_pends_once_and_a_pulse_during_the_handler_pends_it_again()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(1, 0);
        cpu.Nvic.Pulse(1);
        cpu.CheckPendingExceptions();
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0u, cpu.Ipsr);

        cpu.Nvic.Pulse(1);
        cpu.CheckPendingExceptions();
        cpu.Nvic.Pulse(1); // while active: pending and active
        Assert.True(cpu.Nvic.IsPending(CoreFixture.Irq(1)));
        Assert.True(cpu.Nvic.IsActive(CoreFixture.Irq(1)));
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal((uint)CoreFixture.Irq(1), cpu.Ipsr);
    }

    [Fact]
    public void Lines_outside_the_configured_count_are_rejected_with_a_clear_error()
    {
        using var f = new CoreFixture(interrupts: 8);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => f.Cpu.Nvic.SetLevel(8, true));
        Assert.Contains("0..7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ictr_reports_the_number_of_32_line_banks()
    {
        using var f = new CoreFixture(interrupts: 40);
        Assert.Equal(1u, f.Read(CoreFixture.Scs + 0x004));
    }

    [Fact]
    public void Armv6m_priority_registers_implement_two_bits()
    {
        using var f = new CoreFixture("cortex-m0", priorityBits: 2);
        f.Write(Ipr, 0xFFFFFFFF);
        Assert.Equal(0xC0C0C0C0u, f.Read(Ipr));
        f.Write(Iabr, 0);
        Assert.Equal(0u, f.Read(Iabr));
    }
}
