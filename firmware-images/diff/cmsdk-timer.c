/*
 * CMSDK APB timers: register reset values and read-back, timer 0 interrupting (IRQ 8) a fixed number
 * of times while main sleeps in WFI, and timer 1 counting down while polled. Only counts and
 * orderings are printed, never elapsed time.
 */
#include "diff.h"

#define INTERRUPTS 8u

static volatile unsigned interrupts;

/* Stops the timer on the last interrupt itself, so no later one can be pending when main looks
 * (QEMU's timers run on host time and could fire again before main stopped them). */
void Irq8_Handler(void)
{
    TIMER_INTCLEAR(TIMER0_BASE) = 1;
    if (++interrupts == INTERRUPTS) {
        TIMER_CTRL(TIMER0_BASE) = 0;
    }
}

int main(void)
{
    printf("timer0 CTRL %lu VALUE %lu RELOAD %lu at reset\n", (unsigned long)TIMER_CTRL(TIMER0_BASE),
           (unsigned long)TIMER_VALUE(TIMER0_BASE), (unsigned long)TIMER_RELOAD(TIMER0_BASE));
    /* The full 32-bit range takes 171 s to run out at 25 MHz, so even a badly delayed host cannot
     * see it wrap between the two reads. */
    TIMER_RELOAD(TIMER1_BASE) = 0xFFFFFFFFu;
    printf("timer1 RELOAD reads back %08lx\n", (unsigned long)TIMER_RELOAD(TIMER1_BASE));

    TIMER_VALUE(TIMER1_BASE) = 0xFFFFFFFFu;
    TIMER_CTRL(TIMER1_BASE) = TIMER_CTRL_ENABLE;
    uint32_t first = TIMER_VALUE(TIMER1_BASE);
    for (volatile int spin = 0; spin < 20000; spin++) {
    }
    uint32_t second = TIMER_VALUE(TIMER1_BASE);
    printf("timer1 counts down: %d\n", second < first);
    TIMER_CTRL(TIMER1_BASE) = 0;

    nvic_enable(TIMER0_IRQn);
    TIMER_RELOAD(TIMER0_BASE) = 2499; /* 100 us */
    TIMER_VALUE(TIMER0_BASE) = 2499;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ_ENABLE;
    while (interrupts < INTERRUPTS) {
        irq_disable();
        if (interrupts < INTERRUPTS) {
            wait_for_interrupt();
        }
        irq_enable();
    }
    nvic_disable(TIMER0_IRQn);
    printf("timer0 interrupts: %u\n", interrupts);
    printf("NVIC pending for timer0 after stop: %lu\n", (unsigned long)(NVIC_ISPR(0) >> TIMER0_IRQn & 1u));
    return 49;
}
