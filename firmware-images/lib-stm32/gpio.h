/* GPIO pin set-up for the STM32F4 (RM0090 section 8): one call per pin and role. */
#ifndef GPIO_H
#define GPIO_H

#include <stdint.h>

#include "stm32f407.h"

enum gpio_pull { GPIO_NO_PULL = 0, GPIO_PULL_UP = 1, GPIO_PULL_DOWN = 2 };

/* Push-pull output, low speed, no pull. The port's clock must be on. */
void gpio_output(struct stm32_gpio *port, unsigned pin);

/* Input with the given pull. */
void gpio_input(struct stm32_gpio *port, unsigned pin, enum gpio_pull pull);

/* Alternate function `af` (0-15); open drain when asked (I2C), pull as given, high speed. */
void gpio_alternate(struct stm32_gpio *port, unsigned pin, unsigned af, int open_drain, enum gpio_pull pull);

static inline void gpio_set(struct stm32_gpio *port, unsigned pin, int level)
{
    /* BSRR: one write sets or resets a single pin with no read-modify-write race against interrupts. */
    port->bsrr = level ? (1u << pin) : (1u << (pin + 16u));
}

static inline int gpio_output_level(struct stm32_gpio *port, unsigned pin)
{
    return (int)((port->odr >> pin) & 1u);
}

static inline void gpio_toggle(struct stm32_gpio *port, unsigned pin)
{
    gpio_set(port, pin, !gpio_output_level(port, pin));
}

static inline int gpio_read(struct stm32_gpio *port, unsigned pin)
{
    return (int)((port->idr >> pin) & 1u);
}

#endif
