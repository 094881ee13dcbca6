/*
 * Unaligned access on ARMv7-M: LDR/STR/LDRH/STRH at any address work while CCR.UNALIGN_TRP is clear;
 * LDRD, LDM and LDREX at unaligned addresses always raise a UsageFault (UNALIGNED), which the
 * handler reports and steps over.
 */
#include <string.h>
#include "diff.h"

static uint8_t memory[32] __attribute__((aligned(8)));
static volatile unsigned faults;

void usage_fault(exception_frame_t *frame)
{
    faults++;
    printf("UsageFault: CFSR = 0x%08lx\n", (unsigned long)SCB_CFSR);
    SCB_CFSR = SCB_CFSR;
    uint16_t first = *(const uint16_t *)frame->pc;
    frame->pc += (first >> 11) >= 0x1D ? 4u : 2u;
}
HANDLER_WITH_FRAME(UsageFault_Handler, usage_fault)

static void dump(const char *title)
{
    printf("%-10s", title);
    for (unsigned i = 0; i < 16; i++) {
        printf(" %02x", memory[i]);
    }
    printf("\n");
}

int main(void)
{
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    for (unsigned i = 0; i < sizeof memory; i++) {
        memory[i] = (uint8_t)(0x10 + i);
    }
    for (unsigned offset = 0; offset < 4; offset++) {
        uint32_t word, halfword;
        __asm volatile("ldr %0, [%1]" : "=r"(word) : "r"(memory + offset));
        __asm volatile("ldrh %0, [%1]" : "=r"(halfword) : "r"(memory + offset + 1));
        int32_t signed_half;
        __asm volatile("ldrsh %0, [%1]" : "=r"(signed_half) : "r"(memory + 0x0F + offset));
        printf("offset %u: ldr %08lx ldrh(+1) %04lx ldrsh %ld\n", offset, (unsigned long)word, (unsigned long)halfword,
               (long)signed_half);
    }
    __asm volatile("str %0, [%1]" ::"r"(0xAABBCCDDu), "r"(memory + 1) : "memory");
    __asm volatile("strh %0, [%1]" ::"r"(0xEEFFu), "r"(memory + 7) : "memory");
    dump("stores");

    register uint32_t low __asm("r2") = 0; /* LDM wants its register list in ascending order */
    register uint32_t high __asm("r3") = 0;
    __asm volatile("ldrd %0, %1, [%2]" : "=r"(low), "=r"(high) : "r"(memory + 2) : "memory");
    __asm volatile("ldm %2, {%0, %1}" : "=r"(low), "=r"(high) : "r"(memory + 1) : "memory");
    __asm volatile("ldrex %0, [%1]" : "=r"(low) : "r"(memory + 3) : "memory");
    printf("faults %u\n", faults);

    struct __attribute__((packed)) record {
        uint8_t tag;
        uint32_t value;
        uint16_t extra;
        uint64_t wide;
    } record;
    memset(&record, 0, sizeof record);
    volatile struct record *packed = &record;
    packed->value = 0x01020304u;
    packed->extra = 0x0506u;
    packed->wide = 0x1122334455667788ull;
    printf("packed: %08lx %04x %016llx sum %lu\n", (unsigned long)packed->value, packed->extra,
           (unsigned long long)packed->wide, (unsigned long)(packed->value + packed->extra));
    return 45;
}
