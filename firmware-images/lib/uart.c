#include "uart.h"
#include "board.h"

void uart_init(void)
{
    UART_BAUDDIV(UART0_BASE) = SYSCLK_HZ / 115200u;
    UART_CTRL(UART0_BASE) = UART_CTRL_TX_EN;
}

void uart_putc(char c)
{
    while (UART_STATE(UART0_BASE) & UART_STATE_TXFULL) {
        /* The holding register drains at the baud rate; a model may report it full for a while. */
    }
    UART_DATA(UART0_BASE) = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s != '\0') {
        uart_putc(*s++);
    }
}

void uart_put_uint(unsigned value)
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    while (count > 0) {
        uart_putc(digits[--count]);
    }
}
