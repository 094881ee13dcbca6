using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// End-to-end: small Thumb programs assembled with arm-none-eabi-as run on the engine, and the exception
/// model's effects are checked in memory and registers against the ARMv7-M/ARMv6-M rules.
/// </summary>
public sealed class ProgramExceptionTests
{
    private const int Irq0 = 16;
    private const int Irq1 = 17;

    [Fact]
    public void Two_interrupts_pending_at_cpsie_run_back_to_back_on_one_stack_frame()
    {
        using var p = new ProgramRunner("""
            reset:
                cpsid i
                ldr r0, =0xE000E100
                movs r1, #3
                str r1, [r0]            @ ISER0: IRQ0, IRQ1
                ldr r0, =0xE000E200
                str r1, [r0]            @ ISPR0: both pending
                ldr r4, =0x20000000
                cpsie i
            after:
                bkpt #1
            irq0:
                mov r0, sp
                str r0, [r4, #0]
                movs r0, #0xA0
                str r0, [r4, #4]
                bx lr
            irq1:
                mov r0, sp
                str r0, [r4, #8]
                ldr r0, [r4, #4]
                adds r0, #1
                str r0, [r4, #12]
                str lr, [r4, #16]
                bx lr
            """, new Dictionary<int, string> { [Irq0] = "irq0", [Irq1] = "irq1" });
        p.RunToEnd();

        uint frame = ProgramRunner.InitialSp - 0x20;
        Assert.Equal(frame, p.Word(0x20000000));       // IRQ0's stack
        Assert.Equal(frame, p.Word(0x20000008));       // IRQ1 ran on the same frame: tail-chained
        Assert.Equal(0xA1u, p.Word(0x2000000C));       // and after IRQ0
        Assert.Equal(0xFFFFFFF9u, p.Word(0x20000010)); // with the original EXC_RETURN
        Assert.Equal(p.Program["after"], p.Word(frame + 0x18));
        Assert.Equal(ProgramRunner.InitialSp, p.Cpu.R[13]);
        Assert.Equal(0u, p.Cpu.Ipsr);
    }

    [Fact]
    public void Higher_priority_interrupt_pended_by_a_handler_preempts_it_immediately()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r0, =0xE000E400
                movs r1, #0x80
                strb r1, [r0, #0]       @ IRQ0 priority 0x80
                movs r1, #0x40
                strb r1, [r0, #1]       @ IRQ1 priority 0x40
                ldr r0, =0xE000E100
                movs r1, #3
                str r1, [r0]
                ldr r4, =0x20000000
                movs r5, #0
                ldr r0, =0xE000EF00
                movs r1, #0
                str r1, [r0]            @ STIR: pend IRQ0
                bkpt #1
            irq0:
                movs r0, #'A'
                strb r0, [r4, r5]
                adds r5, #1
                ldr r0, =0xE000EF00
                movs r1, #1
                str r1, [r0]            @ STIR: pend IRQ1, which preempts right here
                movs r0, #'C'
                strb r0, [r4, r5]
                adds r5, #1
                bx lr
            irq1:
                movs r0, #'B'
                strb r0, [r4, r5]
                adds r5, #1
                mrs r0, ipsr
                str r0, [r4, #8]
                str lr, [r4, #12]
                bx lr
            """, new Dictionary<int, string> { [Irq0] = "irq0", [Irq1] = "irq1" });
        p.RunToEnd();

        Assert.Equal((uint)('A' | ('B' << 8) | ('C' << 16)), p.Word(0x20000000));
        Assert.Equal((uint)Irq1, p.Word(0x20000008));
        Assert.Equal(0xFFFFFFF1u, p.Word(0x2000000C)); // nested: returns to Handler mode
    }

    [Fact]
    public void Svc_handler_reads_its_immediate_and_returns_a_value_through_the_stacked_r0()
    {
        using var p = new ProgramRunner("""
            reset:
                movs r0, #5
                svc #7
                bkpt #1
            svc_handler:
                ldr r1, [sp, #24]       @ stacked PC: the instruction after SVC
                subs r1, #2
                ldrb r2, [r1]           @ SVC's immediate
                ldr r0, [sp, #0]
                adds r0, r0, r2
                str r0, [sp, #0]
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.SVCall] = "svc_handler" });
        p.RunToEnd();
        Assert.Equal(12u, p.Cpu.R[0]);
    }

    [Fact]
    public void Undefined_instruction_with_usage_fault_disabled_reaches_hardfault_with_forced_and_undefinstr()
    {
        using var p = new ProgramRunner("""
            reset:
                nop
            faulting:
                udf #3
                bkpt #2
            hardfault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]            @ CFSR
                ldr r2, [r0, #4]        @ HFSR
                ldr r3, [sp, #24]       @ stacked PC
                mov r4, lr
                bkpt #1
            """, new Dictionary<int, string> { [ExceptionNumber.HardFault] = "hardfault" });
        p.RunToEnd();
        Assert.Equal(1u << 16, p.Cpu.R[1]);
        Assert.Equal(1u << 30, p.Cpu.R[2]);
        Assert.Equal(p.Program["faulting"], p.Cpu.R[3]);
        Assert.Equal(0xFFFFFFF9u, p.Cpu.R[4]);
    }

    [Fact]
    public void Divide_by_zero_trap_raises_an_enabled_usage_fault_that_skips_the_instruction()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r0, =0xE000ED24
                mov r1, #(1 << 18)
                str r1, [r0]            @ SHCSR.USGFAULTENA
                ldr r0, =0xE000ED14
                ldr r1, [r0]
                orr r1, r1, #(1 << 4)
                str r1, [r0]            @ CCR.DIV_0_TRP
                movs r5, #0
                movs r6, #10
            dividing:
                sdiv r7, r6, r5
                bkpt #1
            usagefault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r0]            @ write-one-to-clear
                ldr r2, [r0]
                ldr r4, =0x20000000
                str r1, [r4]
                str r2, [r4, #4]
                ldr r3, [sp, #24]
                adds r3, #4             @ resume after the 32-bit SDIV
                str r3, [sp, #24]
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.UsageFault] = "usagefault" });
        p.RunToEnd();
        Assert.Equal(1u << 25, p.Word(0x20000000)); // CFSR.DIVBYZERO seen by the handler
        Assert.Equal(0u, p.Word(0x20000004));        // and cleared by writing it back
        Assert.Equal(p.Program["dividing"] + 4, p.Cpu.Pc);
    }

    [Fact]
    public void Fault_inside_the_hardfault_handler_locks_the_core_up()
    {
        using var p = new ProgramRunner("""
            reset:
                udf #0
            hardfault:
                udf #1
            """, new Dictionary<int, string> { [ExceptionNumber.HardFault] = "hardfault" });
        Assert.Equal(StopReason.Lockup, p.Run());
        Assert.True(p.Cpu.LockedUp);
        Assert.Equal(CortexMCpu.LockupAddress, p.Cpu.Pc);
        Assert.Contains("locked up", p.Cpu.DescribeState(), StringComparison.Ordinal);
    }

    [Fact]
    public void Systick_interrupts_wake_wfi_at_exact_multiples_of_the_period_and_time_is_fast_forwarded()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000E010
                ldr r1, =999
                str r1, [r0, #4]        @ RVR: period 1000 cycles
                movs r1, #0
                str r1, [r0, #8]        @ CVR
                movs r1, #7
            enabling:
                str r1, [r0]            @ CSR: enable, interrupt, core clock
            loop:
                wfi
                ldr r1, [r4]
                cmp r1, #5
                bne loop
                bkpt #1
            systick:
                ldr r1, [r4]
                lsls r2, r1, #2
                adds r2, #8
                ldr r3, =0xE000E018
                ldr r3, [r3]            @ CVR as the handler starts
                str r3, [r4, r2]
                adds r1, #1
                str r1, [r4]
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.SysTick] = "systick" });
        p.RunToEnd();

        // The enabling store is instruction 8 of the program: SysTick started at cycle 7. The run that
        // executed it was asked to go further; it must still stop at the event SysTick scheduled then.
        Assert.True(p.Clock.Now is >= 7 + 5000ul and <= 7 + 5000ul + 20, $"finished at cycle {p.Clock.Now}, expected 5007..5027: " +
            "CortexMCpu.Run ran past a clock event scheduled during the run (Run must stop at Clock.NextEventAt, also when sleeping)");
        Assert.True(p.Cpu.InstructionsRetired < 120, $"{p.Cpu.InstructionsRetired} instructions: sleep was not fast-forwarded");
        for (uint i = 0; i < 5; i++)
        {
            // 4 instructions into each handler the counter has counted 4 ticks after reloading 999 one tick after zero.
            Assert.Equal(999u - 3, p.Word(0x20000008 + (4 * i)));
        }
    }

    [Fact]
    public void Systick_programmed_mid_run_interrupts_a_busy_loop_at_the_exact_cycle()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000E010
                ldr r1, =99
                str r1, [r0, #4]
                movs r1, #7
                str r1, [r0]            @ instruction 6: SysTick starts at cycle 5, fires at 105
            spin:
                ldr r1, [r4]
                cmp r1, #0
                beq spin
                bkpt #1
            systick:
                ldr r3, =0xE000E018
                ldr r3, [r3]            @ CVR, two instructions into the handler
                str r3, [r4, #4]
                movs r1, #1
                str r1, [r4]
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.SysTick] = "systick" });
        p.RunToEnd();
        Assert.True(p.Word(0x20000004) == 99, $"CVR in the handler was {p.Word(0x20000004)}, expected 99 (reloaded one cycle after zero): " +
            "the interrupt was not taken at the cycle SysTick reached zero (CortexMCpu.Run must stop at Clock.NextEventAt)");
    }

    [Fact]
    public void Sysresetreq_ends_the_run_right_after_the_store()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r0, =0xE000ED0C
                ldr r1, =0x05FA0004
            requesting:
                str r1, [r0]
                movs r2, #1
                b .
            done:
                bkpt #1
            """);
        Assert.Equal(StopReason.Interrupted, p.Run());
        Assert.True(p.Cpu.ResetRequestPending);
        Assert.Equal(p.Program["requesting"] + 2, p.Cpu.Pc);
        Assert.Equal(0u, p.Cpu.R[2]);
    }

    [Fact]
    public void Handler_returning_with_pop_pc_restores_the_interrupted_context()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r0, =0xE000E100
                movs r1, #1
                str r1, [r0]
                movs r4, #44
                movs r0, #10
                movs r3, #33
                ldr r1, =0xE000E200
                movs r2, #1
                str r2, [r1]            @ pend IRQ0
                adds r0, r0, r3
                bkpt #1
            irq0:
                push {r4, lr}
                movs r4, #99
                movs r0, #0
                movs r3, #0
                pop {r4, pc}
            """, new Dictionary<int, string> { [Irq0] = "irq0" });
        p.RunToEnd();
        Assert.Equal(43u, p.Cpu.R[0]);
        Assert.Equal(44u, p.Cpu.R[4]);
        Assert.Equal(ProgramRunner.InitialSp, p.Cpu.R[13]);
    }

    [Fact]
    public void Pendsv_context_switch_moves_thread_execution_between_two_process_stacks()
    {
        // A two-task round robin as an RTOS does it: PendSV saves R4-R11 on the outgoing PSP and
        // restores the incoming task's; exception return with 0xFFFFFFFD resumes it on its own stack.
        using var p = new ProgramRunner("""
            .equ TCB, 0x20000100
            reset:
                ldr r0, =0x20004000     @ task B's stack: a fabricated exception frame
                subs r0, #32
                ldr r1, =task_b + 1
                str r1, [r0, #24]       @ PC
                mov r1, #0x01000000
                str r1, [r0, #28]       @ xPSR.T
                subs r0, #32            @ R4-R11 slots
                ldr r1, =TCB
                str r0, [r1, #4]        @ saved PSP of task B
                movs r0, #0
                str r0, [r1, #8]        @ current task index 0
                ldr r0, =0x20006000
                msr psp, r0
                movs r0, #2
                msr control, r0         @ thread on PSP
                isb
            task_a:
                ldr r0, =0x20000000
                movs r1, #'a'
                strb r1, [r0]
                bl yield
                ldr r0, =0x20000000
                ldrb r1, [r0, #1]
                cmp r1, #'b'
                bne fail
                mrs r2, psp
            done:
                bkpt #1
            fail:
                bkpt #3
            task_b:
                ldr r0, =0x20000000
                movs r1, #'b'
                strb r1, [r0, #1]
                bl yield
                bkpt #4                  @ never resumed
            yield:
                ldr r0, =0xE000ED04
                mov r1, #(1 << 28)
                str r1, [r0]            @ ICSR.PENDSVSET
                isb
                bx lr
            pendsv:
                mrs r0, psp
                stmdb r0!, {r4-r11}
                ldr r1, =TCB
                ldr r2, [r1, #8]
                str r0, [r1, r2, lsl #2]
                eor r2, r2, #1
                str r2, [r1, #8]
                ldr r0, [r1, r2, lsl #2]
                ldmia r0!, {r4-r11}
                msr psp, r0
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.PendSV] = "pendsv" });
        p.RunToEnd();
        Assert.Equal(p.Program["done"], p.Cpu.Pc);
        Assert.Equal(0x20006000u, p.Cpu.R[2]); // task A's stack pointer is back where it started
        Assert.Equal(2u, p.Cpu.Control & 2);
        Assert.Equal((uint)('a' | ('b' << 8)), p.Word(0x20000000) & 0xFFFF);
    }

    [Fact]
    public void Lazy_fp_state_is_preserved_by_the_handlers_first_fp_instruction_and_restored_on_return()
    {
        using var p = new ProgramRunner("""
            reset:
                ldr r0, =0xE000ED88
                mov r1, #(0xF << 20)
                str r1, [r0]            @ CPACR: CP10/CP11 full access
                dsb
                isb
                ldr r1, =0x3F800000
                vmov s0, r1             @ thread's FP context starts: CONTROL.FPCA = 1
                ldr r0, =0xE000E100
                movs r1, #1
                str r1, [r0]
                ldr r0, =0xE000E200
                str r1, [r0]            @ pend IRQ0
                vmov r2, s0
                bkpt #1
            irq0:
                mov r5, sp
                ldr r0, =0xE000EF34
                ldr r6, [r0]            @ FPCCR at entry
                ldr r7, [r0, #4]        @ FPCAR
                ldr r8, [r5, #0x20]     @ S0 slot before any FP instruction
                ldr r1, =0x40000000
                vmov s0, r1             @ first FP instruction: preserves the thread's S0-S15
                ldr r9, [r5, #0x20]
                ldr r10, [r0]           @ FPCCR after preservation
                mov r11, lr
                bx lr
            """, new Dictionary<int, string> { [Irq0] = "irq0" }, model: "cortex-m4f");
        p.RunToEnd();
        var cpu = p.Cpu;
        Assert.Equal(0xFFFFFFE9u, cpu.R[11]);
        Assert.Equal(1u, cpu.R[6] & 1);           // LSPACT at entry
        Assert.Equal(cpu.R[5] + 0x20, cpu.R[7]); // FPCAR = the S0 slot
        Assert.Equal(0u, cpu.R[8]);              // nothing written at entry
        Assert.Equal(0x3F800000u, cpu.R[9]);     // written by the first FP instruction
        Assert.Equal(0u, cpu.R[10] & 1);
        Assert.Equal(0x3F800000u, cpu.R[2]);     // restored on return
        Assert.Equal(ProgramRunner.InitialSp - 0x68, cpu.R[5]);
    }

    [Fact]
    public void Armv6m_program_faults_into_hardfault_and_returns_with_bx()
    {
        using var p = new ProgramRunner("""
            reset:
                movs r0, #1
                ldr r1, =0x20000001
            faulting:
                ldr r2, [r1]            @ unaligned: always a fault on ARMv6-M
                bkpt #1
            hardfault:
                ldr r3, [sp, #24]
                adds r3, #2
                str r3, [sp, #24]       @ skip the faulting load
                mov r4, lr
                bx lr
            """, new Dictionary<int, string> { [ExceptionNumber.HardFault] = "hardfault" }, model: "cortex-m0");
        p.RunToEnd();
        Assert.Equal(0xFFFFFFF9u, p.Cpu.R[4]);
        Assert.Equal(p.Program["faulting"] + 2, p.Cpu.Pc);
    }
}
