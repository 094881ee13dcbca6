namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Small exception-model programs for the QEMU differential. Each ends at the label <c>done</c> and logs
/// what it observed into SRAM from 0x20000000 (r4 holds that address throughout).
/// </summary>
internal static class ExceptionPrograms
{
    private const int Irq0 = 16;
    private const int Irq1 = 17;
    private const int Irq2 = 18;

    public static readonly Dictionary<string, (string Source, Dictionary<int, string> Handlers, string Model)> All = new()
    {
        ["tail-chain"] = ("""
            reset:
                ldr r4, =0x20000000
                cpsid i
                ldr r0, =0xE000E100
                movs r1, #3
                str r1, [r0]
                ldr r0, =0xE000E200
                str r1, [r0]
                cpsie i
            done:
                bkpt #1
            irq0:
                mov r0, sp
                str r0, [r4, #0]
                str lr, [r4, #4]
                ldr r0, [sp, #24]
                str r0, [r4, #8]
                bx lr
            irq1:
                mov r0, sp
                str r0, [r4, #12]
                str lr, [r4, #16]
                mrs r0, ipsr
                str r0, [r4, #20]
                bx lr
            """, new() { [Irq0] = "irq0", [Irq1] = "irq1" }, "cortex-m3"),

        ["nested-preemption"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r5, #0
                ldr r0, =0xE000E400
                movs r1, #0x80
                strb r1, [r0, #0]
                movs r1, #0x40
                strb r1, [r0, #1]
                movs r1, #0x60
                strb r1, [r0, #2]
                ldr r0, =0xE000E100
                movs r1, #7
                str r1, [r0]
                ldr r0, =0xE000EF00
                movs r1, #0
                str r1, [r0]
                dsb                     @ the pended interrupt is taken before done
                isb
            done:
                bkpt #1
            log:
                strb r0, [r4, r5]
                adds r5, #1
                bx lr
            irq0:
                push {lr}
                movs r0, #'A'
                bl log
                ldr r0, =0xE000E200
                movs r1, #6
                str r1, [r0]            @ pend IRQ1 (0x40, preempts) and IRQ2 (0x60, preempts after IRQ1)
                movs r0, #'D'
                bl log
                ldr r0, =0xE000ED04
                ldr r0, [r0]
                str r0, [r4, #8]        @ ICSR as IRQ0 resumes
                pop {pc}
            irq1:
                push {lr}
                movs r0, #'B'
                bl log
                mov r0, sp
                str r0, [r4, #12]
                pop {r0}
                str r0, [r4, #16]       @ EXC_RETURN of a nested handler
                bx r0
            irq2:
                push {lr}
                movs r0, #'C'
                bl log
                pop {pc}
            """, new() { [Irq0] = "irq0", [Irq1] = "irq1", [Irq2] = "irq2" }, "cortex-m3"),

        ["svc"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r0, #5
                movs r1, #6
                svc #7
                str r0, [r4, #0]
            done:
                bkpt #1
            svc_handler:
                ldr r1, [sp, #24]
                subs r1, #2
                ldrb r2, [r1]
                ldr r0, [sp, #0]
                adds r0, r0, r2
                str r0, [sp, #0]
                ldr r3, [sp, #28]
                str r3, [r4, #4]
                bx lr
            """, new() { [ExceptionNumber.SVCall] = "svc_handler" }, "cortex-m3"),

        ["undefined-to-hardfault"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r0, #1
                movs r1, #2
                adds r0, r0, r1         @ flags in the stacked xPSR
                udf #3
            after:
                b done
            hardfault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r4, #0]        @ CFSR
                ldr r1, [r0, #4]
                str r1, [r4, #4]        @ HFSR
                ldr r1, [sp, #24]
                str r1, [r4, #8]        @ stacked PC
                ldr r1, [sp, #28]
                str r1, [r4, #12]       @ stacked xPSR
                str lr, [r4, #16]
                ldr r1, [sp, #24]
                adds r1, #2
                str r1, [sp, #24]
                bx lr
            done:
                bkpt #1
            """, new() { [ExceptionNumber.HardFault] = "hardfault" }, "cortex-m3"),

        ["divide-by-zero-usagefault"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000ED24
                mov r1, #(1 << 18)
                str r1, [r0]
                ldr r0, =0xE000ED14
                ldr r1, [r0]
                orr r1, r1, #(1 << 4)
                str r1, [r0]
                movs r5, #0
                movs r6, #10
                sdiv r7, r6, r5
                udiv r8, r6, r5
            done:
                bkpt #1
            usagefault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r4, #0]
                str r1, [r0]
                ldr r1, [r0]
                str r1, [r4, #4]
                ldr r1, =0xE000ED24
                ldr r1, [r1]
                str r1, [r4, #8]        @ SHCSR inside the handler
                ldr r0, =0xE000ED14
                ldr r1, [r0]
                bic r1, r1, #(1 << 4)
                str r1, [r0]            @ retry without the trap
                bx lr
            """, new() { [ExceptionNumber.UsageFault] = "usagefault" }, "cortex-m3"),

        ["unaligned-ldm-usagefault"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000ED24
                mov r1, #(1 << 18)
                str r1, [r0]
                ldr r0, =0x20000042
                ldr r1, [r0]            @ unaligned LDR is allowed
                str r1, [r4, #20]
                ldm r0, {r1, r2}        @ unaligned LDM is not
            done:
                bkpt #1
            usagefault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r4, #0]
                str r1, [r0]
                ldr r1, [sp, #24]
                str r1, [r4, #4]
                adds r1, #2
                str r1, [sp, #24]
                bx lr
            """, new() { [ExceptionNumber.UsageFault] = "usagefault" }, "cortex-m3"),

        ["basepri-and-primask"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r5, #0
                ldr r0, =0xE000E400
                movs r1, #0x60
                strb r1, [r0, #0]
                movs r1, #0x20
                strb r1, [r0, #1]
                ldr r0, =0xE000E100
                movs r1, #3
                str r1, [r0]
                movs r0, #0x40
                msr basepri, r0
                ldr r0, =0xE000E200
                movs r1, #3
                str r1, [r0]            @ IRQ1 (0x20) runs, IRQ0 (0x60) is masked
                movs r0, #'m'
                strb r0, [r4, r5]
                adds r5, #1
                cpsid i
                movs r0, #0
                msr basepri, r0         @ still masked by PRIMASK
                movs r0, #'p'
                strb r0, [r4, r5]
                adds r5, #1
                mrs r0, basepri
                str r0, [r4, #8]
                ldr r0, =0xE000ED04
                ldr r0, [r0]
                str r0, [r4, #12]       @ ICSR: VECTPENDING = IRQ0
                cpsie i
            done:
                bkpt #1
            irq0:
                movs r0, #'0'
                strb r0, [r4, r5]
                adds r5, #1
                bx lr
            irq1:
                movs r0, #'1'
                strb r0, [r4, r5]
                adds r5, #1
                bx lr
            """, new() { [Irq0] = "irq0", [Irq1] = "irq1" }, "cortex-m3"),

        ["pendsv-context-switch"] = ("""
            .equ TCB, 0x20000040
            reset:
                ldr r4, =0x20000000
                ldr r0, =0x20004000
                subs r0, #32
                ldr r1, =task_b + 1
                str r1, [r0, #24]
                mov r1, #0x01000000
                str r1, [r0, #28]
                subs r0, #32
                ldr r1, =TCB
                str r0, [r1, #4]
                movs r0, #0
                str r0, [r1, #8]
                ldr r0, =0x20006000
                msr psp, r0
                movs r0, #2
                msr control, r0
                isb
                movs r7, #0x77
                bl yield
                ldrb r1, [r4, #1]
                strb r1, [r4, #2]
                mrs r2, psp
                str r2, [r4, #4]
                mrs r3, control
                str r3, [r4, #8]
            done:
                bkpt #1
            task_b:
                movs r7, #0x42
                movs r1, #'b'
                strb r1, [r4, #1]
                bl yield
                b task_b
            yield:
                ldr r0, =0xE000ED04
                mov r1, #(1 << 28)
                str r1, [r0]
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
                ldr r4, =0x20000000
                bx lr
            """, new() { [ExceptionNumber.PendSV] = "pendsv" }, "cortex-m3"),

        ["illegal-exc-return-invpc"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000ED24
                mov r1, #(1 << 18)
                str r1, [r0]
                ldr r0, =0xE000E100
                movs r1, #1
                str r1, [r0]
                ldr r0, =0xE000E200
                str r1, [r0]
                dsb
                isb
            done:
                bkpt #1
            irq0:
                ldr r0, =0xFFFFFFF5
                bx r0                   @ reserved EXC_RETURN
            usagefault:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r4, #0]
                str r1, [r0]
                str lr, [r4, #4]
                ldr r1, =0xE000ED24
                ldr r1, [r1]
                str r1, [r4, #8]        @ IRQ0 no longer active
                ldr lr, =0xFFFFFFF9
                bx lr
            """, new() { [Irq0] = "irq0", [ExceptionNumber.UsageFault] = "usagefault" }, "cortex-m3"),

        ["unaligned-stack-frame"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0x20007FF4
                mov sp, r0
                ldr r0, =0xE000E100
                movs r1, #1
                str r1, [r0]
                ldr r0, =0xE000E200
                str r1, [r0]
                mov r0, sp
                str r0, [r4, #8]
            done:
                bkpt #1
            irq0:
                mov r0, sp
                str r0, [r4, #0]
                ldr r0, [sp, #28]
                str r0, [r4, #4]        @ stacked xPSR with bit 9 (padding)
                bx lr
            """, new() { [Irq0] = "irq0" }, "cortex-m3"),

        ["mpu-unprivileged-write"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000ED24
                mov r1, #(1 << 16)
                str r1, [r0]            @ MemManage enabled
                ldr r0, =0xE000ED9C
                ldr r1, =0x00000010     @ region 0 at 0: flash, 256 KiB, RO for everyone, executable
                str r1, [r0]
                ldr r1, =(0x07 << 24) | (17 << 1) | 1
                str r1, [r0, #4]
                ldr r1, =0x20000011     @ region 1: SRAM, 64 KiB, full access
                str r1, [r0]
                ldr r1, =(0x03 << 24) | (15 << 1) | 1
                str r1, [r0, #4]
                ldr r1, =0x20001012     @ region 2: 4 KiB at 0x20001000, privileged RW, unprivileged RO
                str r1, [r0]
                ldr r1, =(0x02 << 24) | (11 << 1) | 1
                str r1, [r0, #4]
                ldr r0, =0xE000ED94
                movs r1, #1
                str r1, [r0]            @ MPU on
                dsb
                isb
                movs r0, #1
                msr control, r0         @ unprivileged
                isb
                ldr r0, =0x20001010
                ldr r1, [r0]            @ read allowed
                movs r1, #0x5A
                str r1, [r0]            @ write faults
                str r1, [r4, #12]
            done:
                bkpt #1
            memmanage:
                ldr r0, =0xE000ED28
                ldr r1, [r0]
                str r1, [r4, #0]
                ldr r1, [r0, #12]       @ MMFAR
                str r1, [r4, #4]
                ldr r1, [sp, #24]
                str r1, [r4, #8]
                adds r1, #2
                str r1, [sp, #24]       @ skip the store
                bx lr
            """, new() { [ExceptionNumber.MemManage] = "memmanage" }, "cortex-m3"),

        ["lazy-fp-stacking"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0xE000ED88
                mov r1, #(0xF << 20)
                str r1, [r0]
                dsb
                isb
                ldr r1, =0x3F800000
                vmov s0, r1
                ldr r1, =0x40400000
                vmov s15, r1
                ldr r0, =0xE000E100
                movs r1, #1
                str r1, [r0]
                ldr r0, =0xE000E200
                str r1, [r0]
                vmov r2, s0
                str r2, [r4, #24]
                vmov r2, s15
                str r2, [r4, #28]
                mrs r3, control
                str r3, [r4, #32]
            done:
                bkpt #1
            irq0:
                mov r5, sp
                ldr r0, =0xE000EF34
                ldr r1, [r0]
                str r1, [r4, #0]        @ FPCCR at entry
                ldr r1, [r0, #4]
                subs r1, r1, r5
                str r1, [r4, #4]        @ FPCAR - SP
                ldr r1, [r5, #0x20]
                str r1, [r4, #8]        @ S0 slot before any FP instruction
                ldr r1, =0x40000000
                vmov s0, r1
                ldr r1, [r5, #0x20]
                str r1, [r4, #12]       @ S0 slot after the handler's first FP instruction
                ldr r1, [r0]
                str r1, [r4, #16]       @ FPCCR after
                str lr, [r4, #20]
                mrs r1, control
                str r1, [r4, #36]
                bx lr
            """, new() { [Irq0] = "irq0" }, "cortex-m4f"),
        ["v6m-hardfault-unaligned"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r0, #3
                movs r1, #4
                subs r0, r0, r1         @ N set: visible in the stacked xPSR
                ldr r1, =0x20000102
                ldr r2, [r1]            @ unaligned: HardFault on ARMv6-M
                str r2, [r4, #16]
            done:
                bkpt #1
            hardfault:
                ldr r0, [sp, #24]
                str r0, [r4, #0]
                ldr r0, [sp, #28]
                str r0, [r4, #4]
                mov r0, lr
                str r0, [r4, #8]
                mrs r0, ipsr
                str r0, [r4, #12]
                ldr r0, [sp, #24]
                adds r0, #2
                str r0, [sp, #24]
                bx lr
            """, new() { [ExceptionNumber.HardFault] = "hardfault" }, "cortex-m0"),

        ["v6m-priorities-and-tail-chain"] = ("""
            reset:
                ldr r4, =0x20000000
                movs r5, #0
                ldr r0, =0xE000E400
                ldr r1, =0x0040C0FF     @ IRQ0 0xFF (reads 0xC0), IRQ1 0xC0, IRQ2 0x40
                str r1, [r0]
                ldr r1, [r0]
                str r1, [r4, #8]
                ldr r0, =0xE000E100
                movs r1, #7
                str r1, [r0]
                cpsid i
                ldr r0, =0xE000E200
                movs r1, #3
                str r1, [r0]            @ IRQ0 and IRQ1 pending, equal priority: IRQ0 first, IRQ1 tail-chained
                cpsie i
                dsb
                isb
            done:
                bkpt #1
            log:
                strb r0, [r4, r5]
                adds r5, #1
                bx lr
            irq0:
                push {lr}
                movs r0, #'A'
                bl log
                ldr r0, =0xE000E200
                movs r1, #4
                str r1, [r0]            @ IRQ2 (0x40) preempts IRQ0
                dsb
                isb
                movs r0, #'C'
                bl log
                pop {pc}
            irq1:
                push {lr}
                movs r0, #'D'
                bl log
                mov r0, sp
                str r0, [r4, #12]
                pop {pc}
            irq2:
                push {lr}
                movs r0, #'B'
                bl log
                ldr r0, [sp, #0]
                str r0, [r4, #16]       @ nested EXC_RETURN
                pop {pc}
            """, new() { [Irq0] = "irq0", [Irq1] = "irq1", [Irq2] = "irq2" }, "cortex-m0"),

        ["v6m-svc-pendsv-psp"] = ("""
            reset:
                ldr r4, =0x20000000
                ldr r0, =0x20002000
                msr psp, r0
                movs r0, #2
                msr control, r0
                isb
                movs r0, #9
                svc #3
                str r0, [r4, #0]
                mrs r0, psp
                str r0, [r4, #4]
                mrs r0, control
                str r0, [r4, #8]
            done:
                bkpt #1
            svc_handler:
                mov r0, lr
                str r0, [r4, #12]       @ 0xFFFFFFFD: came from Thread on PSP
                mrs r0, psp
                ldr r1, [r0, #0]
                adds r1, #100
                str r1, [r0, #0]        @ return value in the stacked r0
                ldr r0, =0xE000ED04
                ldr r1, =(1 << 28)
                str r1, [r0]            @ PENDSVSET: runs when SVC returns (tail-chained)
                bx lr
            pendsv:
                ldr r0, =0xE000ED04
                ldr r0, [r0]
                ldr r1, =0xFFFFF7FF     @ bit 11 (RETTOBASE) is reserved on ARMv6-M; QEMU sets it anyway
                ands r0, r1
                str r0, [r4, #16]       @ ICSR inside PendSV
                bx lr
            """, new() { [ExceptionNumber.SVCall] = "svc_handler", [ExceptionNumber.PendSV] = "pendsv" }, "cortex-m0"),
    };
}
