#include "clock.h"

#include "stm32f407.h"

#define HSI_HZ 16000000u
#define HSE_HZ 8000000u   /* the discovery board's crystal (X2) */

/* Polling bound for each ready flag: far longer than any oscillator or PLL needs on silicon. */
#define READY_POLLS 1000000u

/* PLL for 168 MHz from the 8 MHz crystal: 8 / 8 * 336 = 336 MHz VCO, / 2 = 168, / 7 = 48 for USB. */
#define PLL_M 8u
#define PLL_N 336u
#define PLL_P_DIV2 0u
#define PLL_Q 7u

static int wait_until_set(reg32 *reg, uint32_t mask)
{
    for (uint32_t i = 0; i < READY_POLLS; i++) {
        if ((*reg & mask) == mask) {
            return 1;
        }
    }
    return 0;
}

static int wait_until_clear(reg32 *reg, uint32_t mask)
{
    for (uint32_t i = 0; i < READY_POLLS; i++) {
        if ((*reg & mask) == 0) {
            return 1;
        }
    }
    return 0;
}

static int wait_for_switch(uint32_t source)
{
    for (uint32_t i = 0; i < READY_POLLS; i++) {
        if (((RCC->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK) == source) {
            return 1;
        }
    }
    return 0;
}

enum clock_status clock_init_168mhz(void)
{
    /* Regulator scale 1: the PWR clock first, then VOS (RM0090 5.1.4: 168 MHz needs scale 1). */
    RCC->apb1enr |= RCC_APB1ENR_PWREN;
    (void)RCC->apb1enr;   /* the read-back delays the next access until the clock is on, as HAL does */
    PWR->cr |= PWR_CR_VOS;

    RCC->cr |= RCC_CR_HSEON;
    if (!wait_until_set(&RCC->cr, RCC_CR_HSERDY)) {
        return CLOCK_HSE_TIMEOUT;
    }

    /* The PLL can only be configured while it is off. */
    RCC->cr &= ~RCC_CR_PLLON;
    if (!wait_until_clear(&RCC->cr, RCC_CR_PLLRDY)) {
        return CLOCK_PLL_TIMEOUT;
    }
    RCC->pllcfgr = (PLL_M << RCC_PLLCFGR_PLLM_SHIFT) | (PLL_N << RCC_PLLCFGR_PLLN_SHIFT)
        | (PLL_P_DIV2 << RCC_PLLCFGR_PLLP_SHIFT) | RCC_PLLCFGR_PLLSRC_HSE | (PLL_Q << RCC_PLLCFGR_PLLQ_SHIFT);
    RCC->cr |= RCC_CR_PLLON;
    if (!wait_until_set(&RCC->cr, RCC_CR_PLLRDY)) {
        return CLOCK_PLL_TIMEOUT;
    }

    /* More wait states before the clock goes up (RM0090 3.5.1: 5 WS at 150-168 MHz, 2.7-3.6 V);
     * the new latency must read back before SYSCLK may change. */
    FLASH_IF->acr = 5u | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
    if ((FLASH_IF->acr & FLASH_ACR_LATENCY_MASK) != 5u) {
        return CLOCK_FLASH_LATENCY;
    }

    /* APB prescalers to their slowest first so neither bus is ever over its limit during the switch,
     * then AHB /1, SYSCLK from the PLL, and the final APB1 /4 (42 MHz) and APB2 /2 (84 MHz). */
    uint32_t cfgr = RCC->cfgr;
    cfgr |= (RCC_CFGR_PPRE_DIV16 << RCC_CFGR_PPRE1_SHIFT) | (RCC_CFGR_PPRE_DIV16 << RCC_CFGR_PPRE2_SHIFT);
    RCC->cfgr = cfgr;
    cfgr &= ~(0xFu << RCC_CFGR_HPRE_SHIFT);
    RCC->cfgr = cfgr;
    cfgr = (cfgr & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_PLL;
    RCC->cfgr = cfgr;
    if (!wait_for_switch(RCC_CFGR_SW_PLL)) {
        return CLOCK_SWITCH_TIMEOUT;
    }
    cfgr &= ~((0x7u << RCC_CFGR_PPRE1_SHIFT) | (0x7u << RCC_CFGR_PPRE2_SHIFT));
    cfgr |= (RCC_CFGR_PPRE_DIV4 << RCC_CFGR_PPRE1_SHIFT) | (RCC_CFGR_PPRE_DIV2 << RCC_CFGR_PPRE2_SHIFT);
    RCC->cfgr = cfgr;
    return CLOCK_OK;
}

/* HPRE: 0xxx = /1, 1000..1111 = /2, /4, /8, /16, /64, /128, /256, /512 (there is no /32). */
static uint32_t ahb_shift(uint32_t hpre)
{
    static const uint8_t shifts[8] = { 1, 2, 3, 4, 6, 7, 8, 9 };
    return (hpre & 0x8u) ? shifts[hpre & 0x7u] : 0u;
}

/* PPREx: 0xx = /1, 100..111 = /2, /4, /8, /16. */
static uint32_t apb_shift(uint32_t ppre)
{
    return (ppre & 0x4u) ? (ppre & 0x3u) + 1u : 0u;
}

struct clock_rates clock_read_back(void)
{
    struct clock_rates rates;
    uint32_t cfgr = RCC->cfgr;
    uint32_t sws = (cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
    if (sws == RCC_CFGR_SW_PLL) {
        uint32_t pllcfgr = RCC->pllcfgr;
        uint32_t input = (pllcfgr & RCC_PLLCFGR_PLLSRC_HSE) ? HSE_HZ : HSI_HZ;
        uint32_t m = (pllcfgr >> RCC_PLLCFGR_PLLM_SHIFT) & 0x3Fu;
        uint32_t n = (pllcfgr >> RCC_PLLCFGR_PLLN_SHIFT) & 0x1FFu;
        uint32_t p = 2u * (((pllcfgr >> RCC_PLLCFGR_PLLP_SHIFT) & 0x3u) + 1u);
        /* Divide first: M divides the 8/16 MHz input to 1-2 MHz, so nothing overflows 32 bits. */
        rates.sysclk_hz = m == 0 ? 0 : input / m * n / p;
        rates.source = "PLL";
    } else if (sws == RCC_CFGR_SW_HSE) {
        rates.sysclk_hz = HSE_HZ;
        rates.source = "HSE";
    } else {
        rates.sysclk_hz = HSI_HZ;
        rates.source = "HSI";
    }
    rates.hclk_hz = rates.sysclk_hz >> ahb_shift((cfgr >> RCC_CFGR_HPRE_SHIFT) & 0xFu);
    rates.pclk1_hz = rates.hclk_hz >> apb_shift((cfgr >> RCC_CFGR_PPRE1_SHIFT) & 0x7u);
    rates.pclk2_hz = rates.hclk_hz >> apb_shift((cfgr >> RCC_CFGR_PPRE2_SHIFT) & 0x7u);
    return rates;
}

const char *clock_status_text(enum clock_status status)
{
    switch (status) {
    case CLOCK_OK: return "ok";
    case CLOCK_HSE_TIMEOUT: return "HSE not ready";
    case CLOCK_PLL_TIMEOUT: return "PLL not locked";
    case CLOCK_FLASH_LATENCY: return "flash latency not taken";
    case CLOCK_SWITCH_TIMEOUT: return "SYSCLK did not switch to the PLL";
    }
    return "unknown";
}
