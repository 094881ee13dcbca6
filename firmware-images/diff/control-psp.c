/*
 * Stacks and privilege: thread code moves to the process stack (CONTROL.SPSEL) while handlers keep
 * the main stack, EXC_RETURN says which stack a frame is on, unprivileged thread code cannot change
 * CONTROL or PRIMASK, and an SVC brings it back to privileged. Semihosting is not used while
 * unprivileged (a debugger only services it from privileged code), so observations are recorded
 * and printed afterwards.
 */
#include "diff.h"

#define PROCESS_STACK_WORDS 2048

static uint32_t process_stack[PROCESS_STACK_WORDS] __attribute__((aligned(8)));
static volatile uint32_t handler_exc_return, handler_sp_is_main, handler_control;

static uint32_t read_control(void)
{
    uint32_t value;
    __asm volatile("mrs %0, control" : "=r"(value));
    return value & 3u;
}

static uint32_t read_sp(void)
{
    uint32_t value;
    __asm volatile("mov %0, sp" : "=r"(value));
    return value;
}

static uint32_t read_primask(void)
{
    uint32_t value;
    __asm volatile("mrs %0, primask" : "=r"(value));
    return value;
}

/* Records EXC_RETURN, the caller's CONTROL and whether the handler runs on MSP; leaves thread mode privileged. */
__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile("ldr r1, =handler_exc_return\n\t"
                   "str lr, [r1]\n\t"
                   "mrs r0, control\n\t"
                   "ldr r1, =handler_control\n\t"
                   "str r0, [r1]\n\t"
                   "bic r0, r0, #1\n\t"
                   "msr control, r0\n\t"
                   "mov r0, sp\n\t"
                   "mrs r1, msp\n\t"
                   "subs r0, r0, r1\n\t"
                   "ite eq\n\t"
                   "moveq r0, #1\n\t"
                   "movne r0, #0\n\t"
                   "ldr r1, =handler_sp_is_main\n\t"
                   "str r0, [r1]\n\t"
                   "bx lr\n\t");
}

/* Calls fn with thread mode on the process stack (top of `stack`), then returns to the main stack. */
__attribute__((naked)) static void run_on_process_stack(void (*fn)(void) __attribute__((unused)), uint32_t *stack_top __attribute__((unused)))
{
    __asm volatile("push {r4, lr}\n\t"
                   "msr psp, r1\n\t"
                   "mrs r4, control\n\t"
                   "orr r4, r4, #2\n\t"
                   "msr control, r4\n\t"
                   "isb\n\t"
                   "blx r0\n\t"
                   "mrs r4, control\n\t"
                   "bic r4, r4, #2\n\t"
                   "msr control, r4\n\t"
                   "isb\n\t"
                   "pop {r4, pc}\n\t");
}

static int on_process_stack(uint32_t sp)
{
    return sp > (uint32_t)process_stack && sp <= (uint32_t)(process_stack + PROCESS_STACK_WORDS);
}

static void thread_on_psp(void)
{
    printf("SPSEL=1: CONTROL = %lu, sp on process stack = %d\n", (unsigned long)read_control(), on_process_stack(read_sp()));

    __asm volatile("svc #0" ::: "memory");
    printf("svc from privileged PSP thread: EXC_RETURN = 0x%08lx, handler on MSP = %lu, CONTROL seen = %lu\n",
           (unsigned long)handler_exc_return, (unsigned long)handler_sp_is_main, (unsigned long)(handler_control & 3u));

    /* Drop privilege; nothing below may use semihosting until the SVC. */
    __asm volatile("mrs r0, control\n\torr r0, r0, #1\n\tmsr control, r0\n\tisb" ::: "r0", "memory");
    uint32_t unprivileged_control = read_control();
    __asm volatile("cpsid i" ::: "memory"); /* ignored when unprivileged */
    uint32_t primask_after_cpsid = read_primask();
    __asm volatile("mrs r0, control\n\tbic r0, r0, #3\n\tmsr control, r0\n\tisb" ::: "r0", "memory"); /* ignored */
    uint32_t control_after_write = read_control();
    __asm volatile("svc #1" ::: "memory");

    printf("unprivileged: CONTROL = %lu\n", (unsigned long)unprivileged_control);
    printf("PRIMASK after unprivileged cpsid = %lu\n", (unsigned long)primask_after_cpsid);
    printf("CONTROL after unprivileged write = %lu\n", (unsigned long)control_after_write);
    printf("after svc: CONTROL = %lu, EXC_RETURN = 0x%08lx, CONTROL seen = %lu\n", (unsigned long)read_control(),
           (unsigned long)handler_exc_return, (unsigned long)(handler_control & 3u));
}

int main(void)
{
    printf("CONTROL at reset = %lu\n", (unsigned long)read_control());
    __asm volatile("svc #2" ::: "memory");
    printf("svc from MSP thread: EXC_RETURN = 0x%08lx\n", (unsigned long)handler_exc_return);
    run_on_process_stack(thread_on_psp, process_stack + PROCESS_STACK_WORDS);
    printf("back on MSP: CONTROL = %lu, sp on process stack = %d\n", (unsigned long)read_control(),
           on_process_stack(read_sp()));
    return 29;
}
