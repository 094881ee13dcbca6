#include "console.h"

#include <stdarg.h>
#include <stdio.h>

#include "gpio.h"
#include "stm32f407.h"

#define USART2_AF 7u
#define TX_PIN 2u
#define RX_PIN 3u

static void (*receive_handler)(char c);

void console_init(uint32_t pclk1_hz, uint32_t baud)
{
    RCC->ahb1enr |= RCC_AHB1ENR_GPIOAEN;
    RCC->apb1enr |= RCC_APB1ENR_USART2EN;
    (void)RCC->apb1enr;
    gpio_alternate(GPIOA, TX_PIN, USART2_AF, 0, GPIO_NO_PULL);
    gpio_alternate(GPIOA, RX_PIN, USART2_AF, 0, GPIO_PULL_UP);

    /* 16x oversampling: BRR holds USARTDIV = pclk / (16 * baud) as 12.4 fixed point, which is
     * pclk / baud rounded to the nearest integer (RM0090 30.3.4). 42 MHz / 115200 -> 0x16D. */
    USART2->cr1 = 0;
    USART2->brr = (pclk1_hz + baud / 2u) / baud;
    USART2->cr2 = 0;
    USART2->cr3 = 0;
    USART2->cr1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE;
}

void console_putc(char c)
{
    while ((USART2->sr & USART_SR_TXE) == 0) {
    }
    USART2->dr = (uint8_t)c;
}

void console_puts(const char *s)
{
    while (*s != '\0') {
        if (*s == '\n') {
            console_putc('\r');
        }
        console_putc(*s++);
    }
}

void console_flush(void)
{
    while ((USART2->sr & USART_SR_TC) == 0) {
    }
}

void console_printf(const char *format, ...)
{
    char text[160];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    console_puts(text);
}

void console_on_receive(void (*handler)(char c))
{
    receive_handler = handler;
    USART2->cr1 |= USART_CR1_RXNEIE;
    nvic_enable(IRQ_USART2, 8);
}

void USART2_IRQHandler(void)
{
    uint32_t sr = USART2->sr;
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        /* Reading DR after SR clears RXNE and an overrun alike. */
        char c = (char)USART2->dr;
        if ((sr & USART_SR_RXNE) && receive_handler != 0) {
            receive_handler(c);
        }
    }
}
