namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>Exception entry (PushStack/ExceptionTaken) and return (PopStack) against the ARMv7-M rules.</summary>
public sealed class ExceptionEntryReturnTests
{
    [Fact]
    public void Reset_loads_sp_and_pc_from_the_vector_table_and_enters_thread_mode_on_msp()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
        Assert.Equal(CoreFixture.InitialSp, cpu.Msp);
        Assert.Equal(CoreFixture.ResetHandler, cpu.Pc);
        Assert.True(cpu.Thumb);
        Assert.Equal(0xFFFFFFFFu, cpu.R[14]);
        Assert.Equal(0u, cpu.Control);
        Assert.Equal(0u, cpu.Ipsr);
        Assert.False(cpu.Primask);
    }

    [Fact]
    public void Reset_vector_without_the_thumb_bit_clears_epsr_t()
    {
        using var f = new CoreFixture();
        f.Write(4, CoreFixture.ResetHandler);
        f.Cpu.Reset();
        Assert.False(f.Cpu.Thumb);
        Assert.Equal(CoreFixture.ResetHandler, f.Cpu.Pc);
    }

    [Fact]
    public void Entry_stacks_the_basic_frame_and_enters_the_handler()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.FillRegisters();
        cpu.Pc = 0x1234;
        cpu.N = true;
        cpu.C = true;
        cpu.ItState = 0x08; // an IT block in progress is stacked and restored
        f.EnableIrq(3, 0x40);
        f.PendIrq(3);

        Assert.True(cpu.ExceptionCheckNeeded);
        Assert.True(cpu.CheckPendingExceptions());

        uint frame = CoreFixture.InitialSp - 0x20;
        Assert.Equal(frame, cpu.R[13]);
        Assert.Equal(0x10000000u, f.Read(frame));
        Assert.Equal(0x10000003u, f.Read(frame + 0x0C));
        Assert.Equal(0x1000000Cu, f.Read(frame + 0x10)); // R12
        Assert.Equal(0x00000F01u, f.Read(frame + 0x14)); // LR
        Assert.Equal(0x1234u, f.Read(frame + 0x18)); // return address
        uint xpsr = f.Read(frame + 0x1C);
        Assert.Equal(0xA1000000u | (0x08u >> 2 << 10), xpsr); // N, C, T, IT[7:2]; bit 9 clear (no padding)
        Assert.Equal(0xFFFFFFF9u, cpu.R[14]);
        Assert.Equal(CoreFixture.HandlerAddress(CoreFixture.Irq(3)), cpu.Pc);
        Assert.Equal((uint)CoreFixture.Irq(3), cpu.Ipsr);
        Assert.Equal(0u, cpu.ItState);
        Assert.True(cpu.Nvic.IsActive(CoreFixture.Irq(3)));
        Assert.False(cpu.Nvic.IsPending(CoreFixture.Irq(3)));
    }

    [Fact]
    public void Entry_with_sp_not_8_byte_aligned_pads_the_frame_and_records_it_in_xpsr_bit_9()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.R[13] = 0x20007FFC;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();

        Assert.Equal(0x20007FD8u, cpu.R[13]); // (0x20007FFC - 0x20) & ~7
        Assert.NotEqual(0u, f.Read(0x20007FD8 + 0x1C) & (1u << 9));

        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0x20007FFCu, cpu.R[13]);
        Assert.Equal(0u, cpu.Ipsr);
    }

    [Fact]
    public void Stkalign_clear_keeps_a_4_byte_aligned_frame()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD14, 0); // CCR.STKALIGN = 0
        cpu.R[13] = 0x20007FFC;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.Equal(0x20007FDCu, cpu.R[13]);
        Assert.Equal(0u, f.Read(0x20007FDC + 0x1C) & (1u << 9));
    }

    [Fact]
    public void Return_restores_registers_flags_pc_and_it_state()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.FillRegisters();
        cpu.Pc = 0x1234;
        cpu.Z = true;
        cpu.Q = true;
        cpu.ItState = 0x14;
        f.EnableIrq(1, 0);
        f.PendIrq(1);
        cpu.CheckPendingExceptions();

        // The handler clobbers the caller-saved registers and flags.
        for (int i = 0; i < 4; i++)
        {
            cpu.R[i] = 0xDEAD0000u + (uint)i;
        }

        cpu.R[12] = 0;
        cpu.Z = false;
        cpu.Q = false;
        cpu.ExceptionReturn(cpu.R[14]);

        Assert.Equal(0u, cpu.Ipsr);
        Assert.Equal(0x1234u, cpu.Pc);
        Assert.Equal(0x10000000u, cpu.R[0]);
        Assert.Equal(0x10000003u, cpu.R[3]);
        Assert.Equal(0x1000000Cu, cpu.R[12]);
        Assert.Equal(0x00000F01u, cpu.R[14]);
        Assert.True(cpu.Z);
        Assert.True(cpu.Q);
        Assert.Equal(0x14u, cpu.ItState);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
        Assert.False(cpu.Nvic.IsActive(CoreFixture.Irq(1)));
    }

    [Fact]
    public void Thread_mode_on_psp_stacks_on_psp_runs_the_handler_on_msp_and_returns_to_psp()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        cpu.Psp = 0x20004000;
        cpu.WriteSpecialRegister(20, 2, 0); // CONTROL.SPSEL = 1
        Assert.Equal(0x20004000u, cpu.R[13]);
        f.EnableIrq(2, 0);
        f.PendIrq(2);
        cpu.CheckPendingExceptions();

        Assert.Equal(0xFFFFFFFDu, cpu.R[14]);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]); // handler on MSP
        Assert.Equal(0x20004000u - 0x20, cpu.Psp);
        Assert.Equal(0u, cpu.Control & 2);

        cpu.ExceptionReturn(0xFFFFFFFD);
        Assert.Equal(0x20004000u, cpu.R[13]);
        Assert.Equal(2u, cpu.Control & 2);
    }

    [Fact]
    public void Nested_exception_returns_to_handler_mode_with_exc_return_f1()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.EnableIrq(1, 0x20);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint outerSp = cpu.R[13];
        cpu.Pc = 0x3000;
        f.PendIrq(1);
        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal(0xFFFFFFF1u, cpu.R[14]);
        Assert.Equal((uint)CoreFixture.Irq(1), cpu.Ipsr);

        cpu.ExceptionReturn(0xFFFFFFF1);
        Assert.Equal((uint)CoreFixture.Irq(0), cpu.Ipsr);
        Assert.Equal(0x3000u, cpu.Pc);
        Assert.Equal(outerSp, cpu.R[13]);
    }

    [Fact]
    public void Tail_chaining_takes_the_next_pending_exception_without_unstacking_or_restacking()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.FillRegisters();
        cpu.Pc = 0x1234;
        f.EnableIrq(4, 0x20);
        f.EnableIrq(5, 0x40);
        f.PendIrq(4);
        f.PendIrq(5);

        Assert.True(cpu.CheckPendingExceptions());
        Assert.Equal((uint)CoreFixture.Irq(4), cpu.Ipsr); // late arrival: the higher priority one first
        uint frame = cpu.R[13];
        var stacked = Enumerable.Range(0, 8).Select(i => f.Read(frame + (uint)(4 * i))).ToArray();

        // Mark the frame area below the stack: a restack would overwrite it.
        f.Write(frame - 4, 0xCAFEF00D);
        cpu.R[0] = 0x55;
        cpu.ExceptionReturn(cpu.R[14]);

        Assert.Equal((uint)CoreFixture.Irq(5), cpu.Ipsr);
        Assert.Equal(CoreFixture.HandlerAddress(CoreFixture.Irq(5)), cpu.Pc);
        Assert.Equal(frame, cpu.R[13]);
        Assert.Equal(0xFFFFFFF9u, cpu.R[14]);
        Assert.Equal(0x55u, cpu.R[0]); // not unstacked
        Assert.Equal(0xCAFEF00Du, f.Read(frame - 4));
        Assert.Equal(stacked, Enumerable.Range(0, 8).Select(i => f.Read(frame + (uint)(4 * i))).ToArray());

        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0u, cpu.Ipsr);
        Assert.Equal(0x1234u, cpu.Pc);
        Assert.Equal(0x10000000u, cpu.R[0]);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
    }

    [Fact]
    public void Pending_exception_that_cannot_preempt_the_returned_to_context_is_not_tail_chained()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.EnableIrq(1, 0x20);
        f.EnableIrq(2, 0xA0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.Pc = 0x3000;
        f.PendIrq(1);
        cpu.CheckPendingExceptions();
        f.PendIrq(2); // lower priority than both

        cpu.ExceptionReturn(0xFFFFFFF1);
        Assert.Equal((uint)CoreFixture.Irq(0), cpu.Ipsr);
        Assert.Equal(0x3000u, cpu.Pc);
        Assert.True(cpu.Nvic.IsPending(CoreFixture.Irq(2)));
    }

    [Fact]
    public void Entry_sets_the_event_register_and_clears_the_exclusive_monitor_hook_path()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.True(cpu.EventRegister);
    }

    [Fact]
    public void Vector_table_offset_relocates_the_vectors()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        for (int n = 0; n < 48; n++)
        {
            f.Write(0x8000 + (uint)(4 * n), 0x9000 + (uint)(2 * n) + 1);
        }

        f.Write(CoreFixture.Scs + 0xD08, 0x8000 | 0x7F); // the low 7 bits are ignored
        Assert.Equal(0x8000u, f.Read(CoreFixture.Scs + 0xD08));
        f.EnableIrq(6, 0);
        f.PendIrq(6);
        cpu.CheckPendingExceptions();
        Assert.Equal(0x9000u + (2 * 22), cpu.Pc);
    }

    [Fact]
    public void Handler_without_the_thumb_bit_leaves_epsr_t_clear_for_the_first_instruction_to_fault()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(4 * (uint)CoreFixture.Irq(0), 0x2400);
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.False(cpu.Thumb);
    }

    [Fact]
    public void Sleep_on_exit_sleeps_when_the_last_handler_returns_to_thread_mode()
    {
        using var f = new CoreFixture();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD10, 2); // SCR.SLEEPONEXIT
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.True(cpu.Sleeping);
        Assert.Equal(0u, cpu.Ipsr);

        f.PendIrq(0);
        Assert.False(cpu.Sleeping);
    }
}
