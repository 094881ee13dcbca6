#include "board.h"

#include "console.h"
#include "gpio.h"
#include "systick.h"

struct clock_rates board_init(void)
{
    enum clock_status status = clock_init_168mhz();
    struct clock_rates rates = clock_read_back();
    systick_start(rates.hclk_hz);
    console_init(rates.pclk1_hz, CONSOLE_BAUD);
    if (status != CLOCK_OK) {
        console_printf("clock init failed: %s (running on %s at %lu Hz)\n", clock_status_text(status), rates.source,
            (unsigned long)rates.sysclk_hz);
    }

    RCC->ahb1enr |= RCC_AHB1ENR_GPIODEN;
    (void)RCC->ahb1enr;
    for (unsigned pin = LED_GREEN; pin <= LED_BLUE; pin++) {
        gpio_set(LED_PORT, pin, 0);
        gpio_output(LED_PORT, pin);
    }
    return rates;
}
