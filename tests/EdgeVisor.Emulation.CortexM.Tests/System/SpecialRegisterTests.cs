namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>MRS/MSR and CPS: register views, masks and privilege rules; the debugger's system register access.</summary>
public sealed class SpecialRegisterTests
{
    private const int Apsr = 0;
    private const int Ipsr = 5;
    private const int Epsr = 6;
    private const int Xpsr = 3;
    private const int Msp = 8;
    private const int Psp = 9;
    private const int Primask = 16;
    private const int Basepri = 17;
    private const int Faultmask = 19;
    private const int Control = 20;

    [Fact]
    public void Psr_views_combine_apsr_and_ipsr_and_never_show_epsr()
    {
        using var f = new CoreFixture("cortex-m4");
        var cpu = f.Cpu;
        cpu.N = true;
        cpu.Q = true;
        cpu.GE = 0xA;
        cpu.ItState = 0xFF;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.N = true;
        cpu.Q = true;
        cpu.GE = 0xA;

        Assert.Equal(0x880A0000u, cpu.ReadSpecialRegister(Apsr));
        Assert.Equal(16u, cpu.ReadSpecialRegister(Ipsr));
        Assert.Equal(0u, cpu.ReadSpecialRegister(Epsr));
        Assert.Equal(0x880A0010u, cpu.ReadSpecialRegister(Xpsr));
    }

    [Fact]
    public void Msr_apsr_writes_the_fields_its_mask_selects()
    {
        using var f = new CoreFixture("cortex-m4");
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(Apsr, 0xF80F0000, 2); // APSR_nzcvq
        Assert.Equal(0xF8000000u, cpu.ReadSpecialRegister(Apsr));
        cpu.WriteSpecialRegister(Apsr, 0x00050000, 1); // APSR_g
        Assert.Equal(0xF8050000u, cpu.ReadSpecialRegister(Apsr));

        using var m3 = new CoreFixture();
        m3.Cpu.WriteSpecialRegister(Apsr, 0xF80F0000, 3); // no DSP: GE does not exist
        Assert.Equal(0xF8000000u, m3.Cpu.ReadSpecialRegister(Apsr));
    }

    [Fact]
    public void Unprivileged_code_cannot_change_masks_control_or_stack_pointers()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(Control, 1, 0);
        Assert.False(cpu.Privileged);
        cpu.WriteSpecialRegister(Primask, 1, 0);
        cpu.WriteSpecialRegister(Basepri, 0x40, 0);
        cpu.WriteSpecialRegister(Faultmask, 1, 0);
        cpu.WriteSpecialRegister(Control, 0, 0);
        cpu.WriteSpecialRegister(Msp, 0x20001000, 0);
        cpu.ChangeProcessorState(disable: true, affectI: true, affectF: true);
        Assert.False(cpu.Primask);
        Assert.Equal(0u, cpu.Basepri);
        Assert.False(cpu.Faultmask);
        Assert.Equal(1u, cpu.Control);
        Assert.Equal(CoreFixture.InitialSp, cpu.Msp);
        Assert.Equal(0u, cpu.ReadSpecialRegister(Msp)); // SP reads are privileged
        Assert.Equal(1u, cpu.ReadSpecialRegister(Control));

        cpu.WriteSpecialRegister(Apsr, 0x80000000, 2); // APSR is writable unprivileged
        Assert.True(cpu.N);
    }

    [Fact]
    public void Writing_spsel_in_thread_mode_switches_r13_between_msp_and_psp()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(Psp, 0x20002000, 0);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
        cpu.WriteSpecialRegister(Control, 2, 0);
        Assert.Equal(0x20002000u, cpu.R[13]);
        Assert.Equal(CoreFixture.InitialSp, cpu.ReadSpecialRegister(Msp));
        cpu.WriteSpecialRegister(Control, 0, 0);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
    }

    [Fact]
    public void Spsel_cannot_be_written_in_handler_mode()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.WriteSpecialRegister(Control, 2, 0);
        Assert.Equal(0u, cpu.Control & 2);
    }

    [Fact]
    public void Stack_pointer_writes_ignore_the_low_two_bits()
    {
        using var f = new CoreFixture();
        f.Cpu.WriteSpecialRegister(Psp, 0x20002003, 0);
        Assert.Equal(0x20002000u, f.Cpu.ReadSpecialRegister(Psp));
    }

    [Fact]
    public void Armv6m_has_no_basepri_or_faultmask()
    {
        using var f = new CoreFixture("cortex-m0", priorityBits: 2);
        var cpu = f.Cpu;
        cpu.WriteSpecialRegister(Basepri, 0x40, 0);
        cpu.WriteSpecialRegister(Faultmask, 1, 0);
        cpu.ChangeProcessorState(disable: true, affectI: false, affectF: true);
        Assert.Equal(0u, cpu.ReadSpecialRegister(Basepri));
        Assert.Equal(0u, cpu.ReadSpecialRegister(Faultmask));
        Assert.Equal(256, cpu.ExecutionPriority());
    }

    [Fact]
    public void Debugger_access_reads_and_writes_system_registers_with_their_side_effects()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.SetSystemRegister(SystemRegister.Psp, 0x20003000);
        cpu.SetSystemRegister(SystemRegister.Control, 2);
        Assert.Equal(0x20003000u, cpu.R[13]);
        Assert.Equal(CoreFixture.InitialSp, cpu.GetSystemRegister(SystemRegister.Msp));
        cpu.SetSystemRegister(SystemRegister.Primask, 1);
        Assert.Equal(1u, cpu.GetSystemRegister(SystemRegister.Primask));
        Assert.True(cpu.ExceptionCheckNeeded);
    }
}
