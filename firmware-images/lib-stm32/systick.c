#include "systick.h"

#include "stm32f407.h"

static volatile uint32_t milliseconds;

#define SCB_SHPR3 (*(reg32 *)0xE000ED20u)

__attribute__((weak)) void systick_on_tick(uint32_t ms)
{
    (void)ms;
}

void systick_start(uint32_t hclk_hz)
{
    SYSTICK->ctrl = 0;
    SYSTICK->load = hclk_hz / 1000u - 1u;
    SYSTICK->val = 0;
    SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | (0xF0u << 24);   /* SysTick priority 15: the lowest */
    SYSTICK->ctrl = SYSTICK_CTRL_CLKSOURCE_CPU | SYSTICK_CTRL_TICKINT | SYSTICK_CTRL_ENABLE;
}

uint32_t systick_ms(void)
{
    return milliseconds;
}

void systick_delay_ms(uint32_t ms)
{
    uint32_t start = milliseconds;
    while (milliseconds - start < ms) {
        wait_for_interrupt();
    }
}

void SysTick_Handler(void)
{
    uint32_t now = milliseconds + 1u;
    milliseconds = now;
    systick_on_tick(now);
}
