/*
 * button: the user button B1 (PA0, high while pressed) raises EXTI line 0 on its rising edge, routed
 * to port A through SYSCFG_EXTICR1. Each press toggles LD6 (blue, PD15) and prints "press N".
 *
 * Debounce: the first rising edge counts at once; the line is then disarmed until the button has read
 * released for DEBOUNCE_MS consecutive SysTick milliseconds, so contact bounce on press and on
 * release never counts twice.
 */
#include <stdint.h>

#include "board.h"
#include "console.h"
#include "gpio.h"
#include "systick.h"

#define DEBOUNCE_MS 20u

static volatile uint32_t presses;
static volatile int armed;
static uint32_t released_ms;

void EXTI0_IRQHandler(void)
{
    EXTI->pr = 1u << BUTTON_PIN;   /* write 1 to clear the pending bit */
    if (armed) {
        armed = 0;
        released_ms = 0;
        gpio_toggle(LED_PORT, LED_BLUE);
        presses++;
    }
}

void systick_on_tick(uint32_t ms)
{
    (void)ms;
    if (armed) {
        return;
    }
    released_ms = gpio_read(BUTTON_PORT, BUTTON_PIN) ? 0 : released_ms + 1u;
    if (released_ms >= DEBOUNCE_MS) {
        armed = 1;
    }
}

static void button_init(void)
{
    RCC->ahb1enr |= RCC_AHB1ENR_GPIOAEN;
    RCC->apb2enr |= RCC_APB2ENR_SYSCFGEN;
    (void)RCC->apb2enr;
    /* The board has its own pull-down (R39); the internal one keeps an unwired pin low as well. */
    gpio_input(BUTTON_PORT, BUTTON_PIN, GPIO_PULL_DOWN);

    SYSCFG->exticr[0] &= ~0xFu;           /* EXTI0 <- PA0 (port code 0) */
    EXTI->rtsr |= 1u << BUTTON_PIN;
    EXTI->ftsr &= ~(1u << BUTTON_PIN);
    EXTI->pr = 1u << BUTTON_PIN;
    EXTI->imr |= 1u << BUTTON_PIN;
    armed = !gpio_read(BUTTON_PORT, BUTTON_PIN);
    nvic_enable(IRQ_EXTI0, 4);
}

int main(void)
{
    board_init();
    button_init();
    console_puts("button: press B1 (PA0)\n");

    uint32_t reported = 0;
    for (;;) {
        while (reported != presses) {
            reported++;
            console_printf("press %lu\n", (unsigned long)reported);
        }
        wait_for_interrupt();
    }
}
