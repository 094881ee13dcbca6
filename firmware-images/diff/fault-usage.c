/*
 * UsageFault: an undefined instruction (UDF), a division by zero with CCR.DIV_0_TRP set, and an
 * unaligned LDR with CCR.UNALIGN_TRP set. The handler prints CFSR and where the fault happened
 * (relative to the faulting instruction), clears CFSR, steps over the instruction and returns.
 * Finally a UDF with UsageFault disabled escalates to HardFault (HFSR.FORCED), which exits.
 */
#include "diff.h"

extern const char undef_site[], divide_site[], unaligned_site[], escalate_site[];
static volatile unsigned faults;

/* The labels are typed as functions, so their addresses carry the Thumb bit; the stacked PC does not. */
static const char *site_name(uint32_t pc)
{
    pc |= 1u;
    if (pc == (uint32_t)undef_site) return "udf";
    if (pc == (uint32_t)divide_site) return "sdiv";
    if (pc == (uint32_t)unaligned_site) return "ldr";
    if (pc == (uint32_t)escalate_site) return "udf (escalated)";
    return "unknown";
}

void usage_fault(exception_frame_t *frame)
{
    faults++;
    printf("UsageFault at %s: CFSR = 0x%08lx, IPSR = %lu\n", site_name(frame->pc), (unsigned long)SCB_CFSR,
           (unsigned long)read_ipsr());
    SCB_CFSR = SCB_CFSR; /* the status bits are write-one-to-clear */
    uint16_t first = *(const uint16_t *)frame->pc;
    frame->pc += (first >> 11) >= 0x1D ? 4u : 2u; /* 32-bit Thumb encodings start 0b11101..0b11111 */
}
HANDLER_WITH_FRAME(UsageFault_Handler, usage_fault)

void hard_fault(exception_frame_t *frame)
{
    printf("HardFault at %s: HFSR = 0x%08lx, CFSR = 0x%08lx\n", site_name(frame->pc), (unsigned long)SCB_HFSR,
           (unsigned long)SCB_CFSR);
    printf("faults handled before: %u\n", faults);
    semihost_exit(31);
}
HANDLER_WITH_FRAME(HardFault_Handler, hard_fault)

__attribute__((noinline, noclone)) static void undefined_instruction(void)
{
    __asm volatile(".global undef_site\n\t"
                   ".type undef_site, %%function\n"
                   "undef_site:\n\t"
                   "udf #0x42\n\t" ::: "memory");
}

__attribute__((noinline, noclone)) static int divide(int a, int b)
{
    int result;
    __asm volatile(".global divide_site\n\t"
                   ".type divide_site, %%function\n"
                   "divide_site:\n\t"
                   "sdiv %0, %1, %2\n\t"
                   : "=r"(result) : "r"(a), "r"(b) : "memory");
    return result;
}

__attribute__((noinline, noclone)) static uint32_t load_word(const void *address)
{
    uint32_t result;
    __asm volatile(".global unaligned_site\n\t"
                   ".type unaligned_site, %%function\n"
                   "unaligned_site:\n\t"
                   "ldr.w %0, [%1]\n\t"
                   : "=r"(result) : "r"(address) : "memory");
    return result;
}

__attribute__((noinline, noclone)) static void escalate(void)
{
    __asm volatile(".global escalate_site\n\t"
                   ".type escalate_site, %%function\n"
                   "escalate_site:\n\t"
                   "udf #0x43\n\t" ::: "memory");
}

static const uint8_t bytes[8] __attribute__((aligned(4))) = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

int main(void)
{
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    print_hex32("CCR at reset", SCB_CCR & (CCR_UNALIGN_TRP | CCR_DIV_0_TRP));

    undefined_instruction();
    printf("resumed after udf\n");

    printf("7 / 0 without trap = %d\n", divide(7, 0));
    SCB_CCR |= CCR_DIV_0_TRP;
    barrier();
    divide(7, 0);
    printf("resumed after sdiv\n");

    printf("unaligned load without trap = 0x%08lx\n", (unsigned long)load_word(bytes + 1));
    SCB_CCR |= CCR_UNALIGN_TRP;
    barrier();
    load_word(bytes + 1);
    printf("resumed after ldr, faults so far %u\n", faults);

    SCB_SHCSR &= ~SHCSR_USGFAULTENA;
    escalate();
    printf("not reached\n");
    return 0;
}
