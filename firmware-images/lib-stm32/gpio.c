#include "gpio.h"

static void set_field(reg32 *reg, unsigned pin, unsigned width, uint32_t value)
{
    uint32_t mask = ((1u << width) - 1u) << (pin * width);
    *reg = (*reg & ~mask) | ((value << (pin * width)) & mask);
}

void gpio_output(struct stm32_gpio *port, unsigned pin)
{
    set_field(&port->otyper, pin, 1, 0);
    set_field(&port->ospeedr, pin, 2, 0);
    set_field(&port->pupdr, pin, 2, GPIO_NO_PULL);
    set_field(&port->moder, pin, 2, 1);
}

void gpio_input(struct stm32_gpio *port, unsigned pin, enum gpio_pull pull)
{
    set_field(&port->pupdr, pin, 2, (uint32_t)pull);
    set_field(&port->moder, pin, 2, 0);
}

void gpio_alternate(struct stm32_gpio *port, unsigned pin, unsigned af, int open_drain, enum gpio_pull pull)
{
    /* The function is selected before MODER hands the pin to it, so the pin never drives another function. */
    set_field(&port->afr[pin / 8u], pin % 8u, 4, af);
    set_field(&port->otyper, pin, 1, open_drain ? 1u : 0u);
    set_field(&port->ospeedr, pin, 2, 2);
    set_field(&port->pupdr, pin, 2, (uint32_t)pull);
    set_field(&port->moder, pin, 2, 2);
}
