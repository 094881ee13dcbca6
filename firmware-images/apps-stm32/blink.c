/*
 * blink: the discovery board's hello world. LD4 (green, PD12) toggles every 100 ms and LD3 (orange,
 * PD13) every 250 ms, counted in SysTick milliseconds after the 168 MHz clock init; the pins change
 * inside the SysTick interrupt, so every edge comes a fixed number of cycles after its tick. The main
 * loop sleeps and prints one USART2 line per toggle.
 */
#include <stdint.h>

#include "board.h"
#include "console.h"
#include "gpio.h"
#include "systick.h"

#define GREEN_PERIOD_MS 100u
#define ORANGE_PERIOD_MS 250u

static volatile uint32_t green_toggles;
static volatile uint32_t orange_toggles;

void systick_on_tick(uint32_t ms)
{
    if (ms % GREEN_PERIOD_MS == 0) {
        gpio_toggle(LED_PORT, LED_GREEN);
        green_toggles++;
    }
    if (ms % ORANGE_PERIOD_MS == 0) {
        gpio_toggle(LED_PORT, LED_ORANGE);
        orange_toggles++;
    }
}

/* A toggle's line: odd toggles switch the LED on (it starts off). */
static void report(const char *led, uint32_t toggle, uint32_t period_ms)
{
    console_printf("%s %s at %lu ms\n", led, (toggle % 2u) ? "on" : "off", (unsigned long)(toggle * period_ms));
}

int main(void)
{
    struct clock_rates rates = board_init();
    console_printf("blink: SYSCLK %lu Hz, LD4 green every %u ms, LD3 orange every %u ms\n",
        (unsigned long)rates.sysclk_hz, GREEN_PERIOD_MS, ORANGE_PERIOD_MS);

    uint32_t green_reported = 0;
    uint32_t orange_reported = 0;
    for (;;) {
        while (green_reported != green_toggles) {
            report("LD4 green", ++green_reported, GREEN_PERIOD_MS);
        }
        while (orange_reported != orange_toggles) {
            report("LD3 orange", ++orange_reported, ORANGE_PERIOD_MS);
        }
        wait_for_interrupt();
    }
}
