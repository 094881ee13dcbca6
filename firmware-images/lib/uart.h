/* Console output on CMSDK UART0, polled (the FPGA images route UART0 to the board's USB serial port). */
#ifndef UART_H
#define UART_H

/* Enables the transmitter and sets a 115200 baud divisor for the 25 MHz peripheral clock. */
void uart_init(void);
void uart_putc(char c);
/* Writes a NUL-terminated string; "\n" is sent as is (no CR added). */
void uart_puts(const char *s);
/* Writes an unsigned number in decimal, so images without printf can still report values. */
void uart_put_uint(unsigned value);

#endif
