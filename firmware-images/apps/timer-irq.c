/*
 * The interrupt image: CMSDK timer 0 (IRQ 8) and then SysTick each tick periodically every 10 ms;
 * the handlers count, main sleeps in WFI and prints one UART line per tick, and the program exits 0
 * after TICKS ticks of each. The two sources run one after the other so that the output does not
 * depend on how two clocks happen to interleave.
 */
#include "board.h"
#include "uart.h"

#define TICKS 5u
#define PERIOD_CYCLES (SYSCLK_HZ / 100u) /* 10 ms */

static volatile unsigned timer0_ticks;
static volatile unsigned systick_ticks;

void Irq8_Handler(void) /* timer 0 */
{
    TIMER_INTCLEAR(TIMER0_BASE) = 1;
    if (++timer0_ticks == TICKS) {
        TIMER_CTRL(TIMER0_BASE) = 0;
    }
}

void SysTick_Handler(void)
{
    if (++systick_ticks == TICKS) {
        SYST_CSR = 0;
    }
}

/* Sleeps until `counter` moves past `seen`; PRIMASK closes the check-then-sleep race (WFI still wakes). */
static unsigned wait_for_tick(volatile unsigned *counter, unsigned seen)
{
    for (;;) {
        irq_disable();
        unsigned now = *counter;
        if (now != seen) {
            irq_enable();
            return now;
        }
        wait_for_interrupt();
        irq_enable();
    }
}

/* Prints every tick between `printed` and `now`, so a tick that lands during printing is not lost. */
static unsigned print_ticks(const char *source, unsigned printed, unsigned now)
{
    while (printed < now) {
        printed++;
        uart_puts(source);
        uart_puts(" tick ");
        uart_put_uint(printed);
        uart_puts("/");
        uart_put_uint(TICKS);
        uart_puts("\n");
    }
    return printed;
}

int main(void)
{
    uart_init();
    uart_puts("timer-irq on " BOARD_NAME ": timer0 then SysTick, 10 ms period\n");

    nvic_set_priority(TIMER0_IRQn, 0x80);
    nvic_enable(TIMER0_IRQn);
    TIMER_RELOAD(TIMER0_BASE) = PERIOD_CYCLES - 1;
    TIMER_VALUE(TIMER0_BASE) = PERIOD_CYCLES - 1;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ_ENABLE;
    for (unsigned printed = 0; printed < TICKS;) {
        printed = print_ticks("timer0", printed, wait_for_tick(&timer0_ticks, printed));
    }
    nvic_disable(TIMER0_IRQn);

    SYST_RVR = PERIOD_CYCLES - 1;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE_CPU;
    for (unsigned printed = 0; printed < TICKS;) {
        printed = print_ticks("systick", printed, wait_for_tick(&systick_ticks, printed));
    }

    uart_puts("done\n");
    return 0;
}
