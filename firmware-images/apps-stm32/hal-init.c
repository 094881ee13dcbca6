/*
 * hal-init: the HAL-style clock initialisation alone (HSE 8 MHz -> PLL 168 MHz, flash 5 wait states,
 * regulator scale 1, APB1 /4, APB2 /2, every RCC ready flag polled), then what the RCC registers say
 * the clocks are. Exits through semihosting: 0 when the read-back clocks are 168/168/42/84 MHz.
 */
#include <stdint.h>

#include "board.h"
#include "clock.h"
#include "console.h"
#include "semihost.h"
#include "stm32f407.h"

static void print_mhz(const char *name, uint32_t hz)
{
    console_printf("%s %lu.%06lu MHz\n", name, (unsigned long)(hz / 1000000u), (unsigned long)(hz % 1000000u));
}

int main(void)
{
    enum clock_status status = clock_init_168mhz();
    struct clock_rates rates = clock_read_back();
    console_init(rates.pclk1_hz, CONSOLE_BAUD);

    console_printf("hal-init: clock init %s\n", clock_status_text(status));
    console_printf("RCC_CR 0x%08lx PLLCFGR 0x%08lx CFGR 0x%08lx FLASH_ACR 0x%08lx\n", (unsigned long)RCC->cr,
        (unsigned long)RCC->pllcfgr, (unsigned long)RCC->cfgr, (unsigned long)FLASH_IF->acr);
    console_printf("SYSCLK source %s\n", rates.source);
    print_mhz("SYSCLK", rates.sysclk_hz);
    print_mhz("HCLK", rates.hclk_hz);
    print_mhz("PCLK1", rates.pclk1_hz);
    print_mhz("PCLK2", rates.pclk2_hz);

    int expected = status == CLOCK_OK && rates.sysclk_hz == 168000000u && rates.hclk_hz == 168000000u
        && rates.pclk1_hz == 42000000u && rates.pclk2_hz == 84000000u;
    console_puts(expected ? "done: clocks as configured\n" : "done: clocks differ from the configuration\n");
    semihost_exit(expected ? 0 : 1);
}
