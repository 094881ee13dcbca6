/*
 * BusFault: a load from an address where the MPS2 memory map has nothing (0x60000000, external
 * memory space) is a precise data bus error: the handler prints CFSR and BFAR, then exits with a
 * verdict. Before that, the same load with BusFault disabled escalates to HardFault, whose handler
 * reports HFSR and resumes after the load.
 */
#include "diff.h"

#define UNMAPPED_ADDRESS 0x60000000u

extern uint32_t __stack_top__;

static volatile int in_hard_fault_test = 1;

static void skip_instruction(exception_frame_t *frame)
{
    uint16_t first = *(const uint16_t *)frame->pc;
    frame->pc += (first >> 11) >= 0x1D ? 4u : 2u;
}

void hard_fault(exception_frame_t *frame)
{
    printf("HardFault: HFSR = 0x%08lx, CFSR = 0x%08lx, BFAR = 0x%08lx\n", (unsigned long)SCB_HFSR,
           (unsigned long)SCB_CFSR, (unsigned long)SCB_BFAR);
    SCB_HFSR = SCB_HFSR;
    SCB_CFSR = SCB_CFSR;
    if (!in_hard_fault_test) {
        semihost_exit(99);
    }
    skip_instruction(frame);
}
HANDLER_WITH_FRAME(HardFault_Handler, hard_fault)

void bus_fault(exception_frame_t *frame)
{
    uint32_t cfsr = SCB_CFSR;
    printf("BusFault: CFSR = 0x%08lx, BFAR = 0x%08lx, IPSR = %lu\n", (unsigned long)cfsr, (unsigned long)SCB_BFAR,
           (unsigned long)read_ipsr());
    printf("stacked r0 = 0x%08lx, xPSR.T = %lu\n", (unsigned long)frame->r0, (unsigned long)(frame->xpsr >> 24) & 1u);
    semihost_exit((cfsr & 0x8200u) == 0x8200u ? 41 : 42);
}
HANDLER_WITH_FRAME(BusFault_Handler, bus_fault)

__attribute__((noinline, noclone)) static uint32_t load(uint32_t address)
{
    uint32_t value;
    __asm volatile("ldr %0, [%0]" : "=r"(value) : "0"(address) : "memory");
    return value;
}

int main(void)
{
    printf("vector 0 is the stack top: %d\n", load(0x00000000u) == (uint32_t)&__stack_top__);
    load(UNMAPPED_ADDRESS);
    printf("resumed after escalated fault\n");

    in_hard_fault_test = 0;
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    barrier();
    load(UNMAPPED_ADDRESS + 4);
    printf("not reached\n");
    return 0;
}
