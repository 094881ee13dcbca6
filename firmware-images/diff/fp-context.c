/*
 * FP context across exceptions (mps2-an386; mps2-an385 has no FPU and says so): thread code leaves
 * values in S0-S15 and FPSCR, an interrupt handler overwrites them, and after the return thread code
 * must see its own values again. Entry with an active FP context uses an extended frame (EXC_RETURN
 * bit 4 clear) whose FP part is reserved lazily: FPCCR.LSPACT is set until the handler's first FP
 * instruction saves the registers into the frame (FPCAR), then clear.
 */
#include "diff.h"

#if defined(__ARM_FP)
#define FPCCR REG32(0xE000EF34u)
#define FPCAR REG32(0xE000EF38u)
#define FPCCR_LSPACT (1u << 0)
#define HANDLER_IRQ 3

static volatile uint32_t exc_return, lspact_before, lspact_after, fpcar_in_frame, handler_fpscr;
static volatile uint32_t handler_sp;

/* Overwrites S0-S15 and FPSCR with its own values; records lazy-stacking state before and after. */
__attribute__((naked)) void Irq3_Handler(void)
{
    __asm volatile("ldr r0, =exc_return\n\t"
                   "str lr, [r0]\n\t"
                   "ldr r0, =handler_sp\n\t"
                   "str sp, [r0]\n\t"
                   "ldr r1, =0xE000EF34\n\t"
                   "ldr r2, [r1]\n\t"
                   "and r2, r2, #1\n\t"
                   "ldr r0, =lspact_before\n\t"
                   "str r2, [r0]\n\t"
                   "vmrs r2, fpscr\n\t" /* first FP instruction: triggers the lazy save */
                   "ldr r0, =handler_fpscr\n\t"
                   "str r2, [r0]\n\t"
                   "ldr r2, [r1]\n\t"
                   "and r2, r2, #1\n\t"
                   "ldr r0, =lspact_after\n\t"
                   "str r2, [r0]\n\t"
                   "ldr r2, [r1, #4]\n\t" /* FPCAR */
                   "ldr r0, =fpcar_in_frame\n\t"
                   "str r2, [r0]\n\t"
                   "mov r2, #0x00C00000\n\t" /* round towards zero */
                   "vmsr fpscr, r2\n\t"
                   "vmov.f32 s0, #-1.0\n\t"
                   "vmov.f32 s1, #-2.0\n\t"
                   "vadd.f32 s2, s0, s1\n\t"
                   "vmov.f32 s3, s2\n\t"
                   "vmov.f32 s7, s2\n\t"
                   "vmov.f32 s11, s2\n\t"
                   "vmov.f32 s15, s2\n\t"
                   "bx lr\n\t" ::: "memory");
}

static uint32_t fp_bits(int index)
{
    uint32_t value = 0;
    switch (index) {
    case 0: __asm volatile("vmov %0, s0" : "=r"(value)); break;
    case 1: __asm volatile("vmov %0, s1" : "=r"(value)); break;
    case 2: __asm volatile("vmov %0, s2" : "=r"(value)); break;
    case 3: __asm volatile("vmov %0, s3" : "=r"(value)); break;
    case 7: __asm volatile("vmov %0, s7" : "=r"(value)); break;
    case 11: __asm volatile("vmov %0, s11" : "=r"(value)); break;
    case 15: __asm volatile("vmov %0, s15" : "=r"(value)); break;
    default: break;
    }
    return value;
}

/* Loads S0-S15 and FPSCR, takes the interrupt, and reads the registers back before C code can touch them. */
__attribute__((noinline)) static void run_with_live_registers(uint32_t results[8])
{
    __asm volatile("mov r0, #0x00400000\n\t" /* round towards plus infinity, no flags */
                   "vmsr fpscr, r0\n\t"
                   "vmov.f32 s0, #1.0\n\t"
                   "vmov.f32 s1, #2.0\n\t"
                   "vmov.f32 s2, #3.0\n\t"
                   "vmov.f32 s3, #4.0\n\t"
                   "vmov.f32 s7, #0.5\n\t"
                   "vmov.f32 s11, #10.0\n\t"
                   "vmov.f32 s15, #-0.25\n\t"
                   "ldr r0, =0xE000EF00\n\t" /* STIR */
                   "mov r1, %1\n\t"
                   "str r1, [r0]\n\t"
                   "dsb\n\t"
                   "isb\n\t"
                   "vmov r0, s0\n\t"
                   "str r0, [%0, #0]\n\t"
                   "vmov r0, s1\n\t"
                   "str r0, [%0, #4]\n\t"
                   "vmov r0, s2\n\t"
                   "str r0, [%0, #8]\n\t"
                   "vmov r0, s3\n\t"
                   "str r0, [%0, #12]\n\t"
                   "vmov r0, s7\n\t"
                   "str r0, [%0, #16]\n\t"
                   "vmov r0, s11\n\t"
                   "str r0, [%0, #20]\n\t"
                   "vmov r0, s15\n\t"
                   "str r0, [%0, #24]\n\t"
                   "vmrs r0, fpscr\n\t"
                   "str r0, [%0, #28]\n\t"
                   :
                   : "r"(results), "I"(HANDLER_IRQ)
                   : "r0", "r1", "s0", "s1", "s2", "s3", "s7", "s11", "s15", "memory");
}

int main(void)
{
    static const char *const names[8] = { "s0", "s1", "s2", "s3", "s7", "s11", "s15", "fpscr" };
    uint32_t results[8];
    printf("FPCCR ASPEN/LSPEN at reset = %lx\n", (unsigned long)(FPCCR >> 30));
    nvic_enable(HANDLER_IRQ);
    run_with_live_registers(results);
    for (int i = 0; i < 8; i++) {
        printf("%-5s = %08lx\n", names[i], (unsigned long)results[i]);
    }
    printf("EXC_RETURN = 0x%08lx\n", (unsigned long)exc_return);
    printf("LSPACT before the handler's first FP instruction = %lu, after = %lu\n", (unsigned long)lspact_before,
           (unsigned long)lspact_after);
    printf("FPCAR points into the frame (sp + 0x20) = %d\n", fpcar_in_frame == handler_sp + 0x20u);
    printf("FPSCR in handler = %08lx\n", (unsigned long)handler_fpscr);
    printf("s2 after return, read from C = %08lx\n", (unsigned long)fp_bits(2));
    return 53;
}
#else
int main(void)
{
    printf("no FPU on " BOARD_NAME "\n");
    return 52;
}
#endif
