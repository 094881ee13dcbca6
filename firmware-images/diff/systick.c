/*
 * SysTick: COUNTFLAG polling with the counter running on the core clock, the TICKINT interrupt
 * waking WFI a fixed number of times, a pend through ICSR.PENDSTSET, and the reset values of its
 * registers. Only counts and flags are printed, never elapsed times.
 */
#include "diff.h"

#define SYST_CSR_COUNTFLAG (1u << 16)
#define TICKS 10u

static volatile unsigned ticks;

/* Stops the counter on the last tick itself: QEMU's SysTick runs on host time, so a tick could
 * otherwise slip in between main seeing the count and main stopping the counter. */
void SysTick_Handler(void)
{
    if (++ticks == TICKS) {
        SYST_CSR = 0;
    }
}

int main(void)
{
    /* CLKSOURCE's reset value is implementation defined (it depends on the reference clock), so only
     * ENABLE, TICKINT and COUNTFLAG are printed. */
    print_hex32("CSR at reset", SYST_CSR & (SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_COUNTFLAG));

    /* Polled: wait for COUNTFLAG five times; reading CSR clears it. */
    SYST_RVR = 999;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE_CPU;
    for (int wraps = 1; wraps <= 5; wraps++) {
        while ((SYST_CSR & SYST_CSR_COUNTFLAG) == 0) {
        }
        printf("wrap %d\n", wraps);
    }
    printf("value below reload: %d\n", SYST_CVR <= 999u);
    SYST_CSR = 0;
    printf("RVR reads back %lu\n", (unsigned long)SYST_RVR);

    /* Interrupt-driven: sleep until ten ticks have arrived. */
    SYST_RVR = 24999; /* 1 ms at 25 MHz */
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE_CPU;
    /* How many ticks each wake-up sees is timing (QEMU on a busy host may deliver two per wake), so
     * only the final count is printed. */
    while (ticks < TICKS) {
        irq_disable();
        if (ticks < TICKS) {
            wait_for_interrupt();
        }
        irq_enable();
    }
    printf("ticks %u\n", ticks);

    /* Software pend with the counter stopped. */
    ticks = 0;
    SCB_ICSR = ICSR_PENDSTSET;
    barrier();
    printf("after PENDSTSET: %u\n", ticks);
    return 25;
}
