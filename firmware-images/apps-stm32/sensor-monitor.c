/*
 * sensor-monitor: the agent's demo workload. Runs forever: once a second it reads the TMP102 at 0x48
 * on I2C1, prints one USART2 line such as "sensor-monitor: tick 3 t=21.50 C" and toggles LD4 (green,
 * PD12). Between ticks the core sleeps in WFI, so an emulated machine paced to real time idles.
 *
 * SysTick (1 kHz, lib-stm32) is the time base only while the bus is in use: the I2C driver bounds its
 * waits in SysTick milliseconds. For the rest of the second SysTick is off and TIM2 alone wakes the
 * core once a second, so an idle device costs one wake-up per second instead of a thousand.
 *
 * The tick line is sent without busy-waiting either: between characters the core waits in WFE for
 * USART2's TXE. With SCR.SEVONPEND an interrupt becoming pending is a wake-up event even while it is
 * disabled in the NVIC, so TXEIE can raise IRQ 38 without a handler ever running (lib-stm32's console
 * keeps USART2's handler for received bytes, which this program does not enable).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "console.h"
#include "gpio.h"
#include "i2c.h"
#include "systick.h"
#include "tmp102.h"

#define I2C_BUS_HZ 100000u
#define TICK_LED LED_GREEN

#define RCC_APB1ENR_TIM2EN (1u << 0)
#define TIM2_BASE 0x40000000u
#define TIM2_CR1 (*(reg32 *)(TIM2_BASE + 0x00u))
#define TIM2_DIER (*(reg32 *)(TIM2_BASE + 0x0Cu))
#define TIM2_SR (*(reg32 *)(TIM2_BASE + 0x10u))
#define TIM2_EGR (*(reg32 *)(TIM2_BASE + 0x14u))
#define TIM2_PSC (*(reg32 *)(TIM2_BASE + 0x28u))
#define TIM2_ARR (*(reg32 *)(TIM2_BASE + 0x2Cu))
#define TIM_CR1_CEN (1u << 0)
#define TIM_DIER_UIE (1u << 0)
#define TIM_SR_UIF (1u << 0)
#define TIM_EGR_UG (1u << 0)
#define TIM2_IRQ 28u
#define NVIC_ISER0 (*(reg32 *)0xE000E100u)
#define NVIC_ICPR1 (*(reg32 *)0xE000E284u)   /* clear-pending, IRQs 32-63 */
#define USART2_IRQ 38u
#define USART_CR1_TXEIE (1u << 7)
#define SCB_SCR (*(reg32 *)0xE000ED10u)
#define SCB_SCR_SEVONPEND (1u << 4)

static volatile uint32_t seconds;

void TIM2_IRQHandler(void)
{
    TIM2_SR = ~TIM_SR_UIF;   /* rc_w0: writing 0 clears the flag, 1s leave the others alone */
    seconds++;
}

/*
 * TIM2 update interrupt once a second. TIM2 sits on APB1; with the APB1 prescaler above 1 its kernel
 * clock is twice PCLK1 (RM0090 7.2). Prescaled to 10 kHz, 10000 counts are a second.
 */
static void tim2_start_1hz(const struct clock_rates *rates)
{
    uint32_t timer_hz = rates->hclk_hz == rates->pclk1_hz ? rates->pclk1_hz : 2u * rates->pclk1_hz;
    RCC->apb1enr |= RCC_APB1ENR_TIM2EN;
    (void)RCC->apb1enr;
    TIM2_PSC = timer_hz / 10000u - 1u;
    TIM2_ARR = 10000u - 1u;
    TIM2_EGR = TIM_EGR_UG;   /* load the prescaler now */
    TIM2_SR = 0;
    TIM2_DIER = TIM_DIER_UIE;
    NVIC_ISER0 = 1u << TIM2_IRQ;
    TIM2_CR1 = TIM_CR1_CEN;
}

/* Sends one character, sleeping (WFE) until the transmit register is free rather than polling it. */
static void sleepy_putc(char c)
{
    while ((USART2->sr & USART_SR_TXE) == 0) {
        /* Clear the pending bit first: TXE rising after the check below pends IRQ 38 again, an event. */
        NVIC_ICPR1 = 1u << (USART2_IRQ - 32u);
        if ((USART2->sr & USART_SR_TXE) == 0) {
            __asm volatile("wfe");
        }
    }
    USART2->dr = (uint8_t)c;
}

static void sleepy_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void sleepy_printf(const char *format, ...)
{
    char text[96];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n') {
            sleepy_putc('\r');
        }
        sleepy_putc(*p);
    }
}

static void systick_stop(void)
{
    SYSTICK->ctrl = 0;
}

/* One tick's line: the temperature in hundredths, or why there is none. */
static void report_tick(uint32_t tick)
{
    int32_t centi;
    enum i2c_status status = tmp102_read_centi_celsius(I2C1, TMP102_ADDRESS, &centi);
    if (status != I2C_OK) {
        sleepy_printf("sensor-monitor: tick %lu t=? (no TMP102 at 0x%02x: %s)\n", (unsigned long)tick,
            TMP102_ADDRESS, i2c_status_text(status));
        return;
    }
    uint32_t magnitude = (uint32_t)(centi < 0 ? -centi : centi);
    sleepy_printf("sensor-monitor: tick %lu t=%s%lu.%02lu C\n", (unsigned long)tick, centi < 0 ? "-" : "",
        (unsigned long)(magnitude / 100u), (unsigned long)(magnitude % 100u));
}

int main(void)
{
    struct clock_rates rates = board_init();
    i2c1_init(rates.pclk1_hz, I2C_BUS_HZ);
    console_puts("sensor-monitor: started\n");
    systick_stop();
    tim2_start_1hz(&rates);
    SCB_SCR |= SCB_SCR_SEVONPEND;
    USART2->cr1 |= USART_CR1_TXEIE;   /* pends IRQ 38 (never enabled) while TXE is set: the wake-up for sleepy_putc */

    uint32_t reported = 0;
    for (;;) {
        while (reported == seconds) {
            wait_for_interrupt();
        }
        reported = seconds;
        systick_start(rates.hclk_hz);   /* the I2C driver's timeouts count SysTick milliseconds */
        report_tick(reported);
        systick_stop();
        gpio_toggle(LED_PORT, TICK_LED);
    }
}
