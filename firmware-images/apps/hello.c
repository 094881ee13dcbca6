/* The console image: a banner and a greeting on UART0, then exit 0 through semihosting. */
#include "board.h"
#include "uart.h"

int main(void)
{
    uart_init();
    uart_puts("EdgeVisor sample firmware\n");
    uart_puts("Hello from " BOARD_NAME "\n");
    return 0;
}
