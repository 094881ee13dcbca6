/* Clock tree set-up and read-back for the STM32F407 (RM0090 section 7). */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* The clocks as the RCC registers say they are (not as the init asked for). */
struct clock_rates {
    uint32_t sysclk_hz;
    uint32_t hclk_hz;
    uint32_t pclk1_hz;
    uint32_t pclk2_hz;
    const char *source;   /* "HSI", "HSE" or "PLL" from CFGR.SWS */
};

/* Why clock_init_168mhz stopped early (0 when it reached 168 MHz). */
enum clock_status {
    CLOCK_OK = 0,
    CLOCK_HSE_TIMEOUT,
    CLOCK_PLL_TIMEOUT,
    CLOCK_FLASH_LATENCY,
    CLOCK_SWITCH_TIMEOUT,
};

/*
 * The discovery board's usual set-up, in the order ST's HAL RCC driver applies it: PWR voltage
 * scale 1, HSE 8 MHz crystal on and ready, PLL (M 8, N 336, P 2, Q 7) from HSE on and locked, flash
 * latency 5 wait states with prefetch and caches, AHB /1, APB1 /4, APB2 /2, SYSCLK from the PLL once
 * CFGR.SWS confirms it. Every ready flag is polled with a bound; on a timeout the chip stays on
 * whatever clock it already runs (HSI 16 MHz after reset) and the status says what failed.
 */
enum clock_status clock_init_168mhz(void);

/* Reads the clock tree back from RCC_CFGR (SWS, HPRE, PPRE1/2) and RCC_PLLCFGR (source, M, N, P). */
struct clock_rates clock_read_back(void);

/* A word for a clock_status, for error messages. */
const char *clock_status_text(enum clock_status status);

#endif
