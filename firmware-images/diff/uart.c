/*
 * UART0 console output interleaved with semihosting stdout: both reach the same stdout, in program
 * order (stdout is flushed before each switch). Also checks the CMSDK UART's register read-back.
 * Bytes go out as written: "\t" and "\r" are not translated.
 */
#include "diff.h"
#include "uart.h"

int main(void)
{
    print_hex32("CTRL at reset", UART_CTRL(UART0_BASE));
    uart_init();
    print_hex32("CTRL after init", UART_CTRL(UART0_BASE));
    print_hex32("BAUDDIV", UART_BAUDDIV(UART0_BASE));
    fflush(stdout);

    uart_puts("uart: line one\n");
    for (unsigned i = 0; i < 5; i++) {
        uart_puts("uart: count ");
        uart_put_uint(i * 1234567u);
        uart_putc('\n');
        printf("semihosting: after count %u\n", i);
        fflush(stdout);
    }
    for (int c = 32; c < 127; c++) {
        uart_putc((char)c);
    }
    uart_putc('\n');
    uart_puts("tab\tand carriage\rreturn\n");
    /* STATE.TXFULL right after a write depends on how fast the model drains the holding register
     * (QEMU: at once; a baud-rate model: one character time later), so it is not printed. */
    return 31;
}
