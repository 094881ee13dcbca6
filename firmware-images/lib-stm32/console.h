/* The discovery board's console: USART2 on PA2 (TX) / PA3 (RX), alternate function 7, 8N1. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>

/* Pins, USART2 clock, BRR for `baud` from the APB1 clock `pclk1_hz`, transmitter and receiver on. */
void console_init(uint32_t pclk1_hz, uint32_t baud);

void console_putc(char c);
void console_puts(const char *s);

/* Waits until the last byte has left the shift register (SR.TC), e.g. before a reset or the end of a run. */
void console_flush(void);

/* printf into a 160-byte buffer (longer output is cut), then out through console_puts. No float formats. */
void console_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Enables the RXNE interrupt (USART2, IRQ 38) and calls `handler` with each received byte from it. */
void console_on_receive(void (*handler)(char c));

#endif
