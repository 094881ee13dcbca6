/*
 * CMSDK APB timers: register reset values and read-back, timer 0 interrupting (IRQ 8) a fixed number
 * of times while main sleeps in WFI, and timer 1 counting down while polled. Only counts and
 * orderings are printed, never elapsed time.
 */
#include "diff.h"

static volatile unsigned interrupts;

void Irq8_Handler(void)
{
    TIMER_INTCLEAR(TIMER0_BASE) = 1;
    interrupts++;
}

int main(void)
{
    printf("timer0 CTRL %lu VALUE %lu RELOAD %lu at reset\n", (unsigned long)TIMER_CTRL(TIMER0_BASE),
           (unsigned long)TIMER_VALUE(TIMER0_BASE), (unsigned long)TIMER_RELOAD(TIMER0_BASE));
    TIMER_RELOAD(TIMER1_BASE) = 0x00FFFFFFu;
    printf("timer1 RELOAD reads back %08lx\n", (unsigned long)TIMER_RELOAD(TIMER1_BASE));

    TIMER_VALUE(TIMER1_BASE) = 0x00FFFFFFu;
    TIMER_CTRL(TIMER1_BASE) = TIMER_CTRL_ENABLE;
    uint32_t first = TIMER_VALUE(TIMER1_BASE);
    for (volatile int spin = 0; spin < 20000; spin++) {
    }
    uint32_t second = TIMER_VALUE(TIMER1_BASE);
    printf("timer1 counts down: %d\n", second < first && first <= 0x00FFFFFFu);
    TIMER_CTRL(TIMER1_BASE) = 0;

    nvic_enable(TIMER0_IRQn);
    TIMER_RELOAD(TIMER0_BASE) = 2499; /* 100 us */
    TIMER_VALUE(TIMER0_BASE) = 2499;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ_ENABLE;
    while (interrupts < 8) {
        irq_disable();
        if (interrupts < 8) {
            wait_for_interrupt();
        }
        irq_enable();
    }
    TIMER_CTRL(TIMER0_BASE) = 0;
    nvic_disable(TIMER0_IRQn);
    printf("timer0 interrupts: at least 8: %d\n", interrupts >= 8);
    printf("NVIC pending for timer0 after stop: %lu\n", (unsigned long)(NVIC_ISPR(0) >> TIMER0_IRQn & 1u));
    return 49;
}
