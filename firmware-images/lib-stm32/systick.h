/* A 1 ms system tick from SysTick, the time base of the samples (like HAL_GetTick). */
#ifndef SYSTICK_H
#define SYSTICK_H

#include <stdint.h>

/* Starts SysTick at 1 kHz from the core clock `hclk_hz`, at the lowest priority. */
void systick_start(uint32_t hclk_hz);

/* Milliseconds since systick_start. */
uint32_t systick_ms(void);

/* Sleeps (WFI) for at least `ms` milliseconds. */
void systick_delay_ms(uint32_t ms);

/* Called from the SysTick interrupt after the count went up; a program may define it (default: nothing). */
void systick_on_tick(uint32_t ms);

#endif
