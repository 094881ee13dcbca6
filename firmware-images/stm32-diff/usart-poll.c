/* USART1 console output by polling: TXE before each byte, TC before reporting. Prints register read-backs that
   silicon and QEMU agree on (BRR, CR1, the TXE/TC pair once the line is idle). */
#include "stm32.h"

int main(void)
{
    uint32_t reset_sr = USART_SR(USART1_BASE) & (USART_SR_TXE | USART_SR_TC);
    console_init();
    console_puts("usart1 polled output\n");
    for (int line = 1; line <= 3; line++) {
        console_puts("line ");
        console_dec((uint32_t)line);
        console_puts(": the quick brown fox\n");
    }
    console_flush();
    console_puts("reset sr txe|tc ");
    console_hex(reset_sr);
    console_puts("\nbrr ");
    console_hex(USART_BRR(USART1_BASE));
    console_puts("\ncr1 ");
    console_hex(USART_CR1(USART1_BASE));
    console_puts("\n");
    console_flush();
    uint32_t idle = USART_SR(USART1_BASE) & (USART_SR_TXE | USART_SR_TC);
    console_puts("idle sr txe|tc ");
    console_hex(idle);
    console_puts("\ndone\n");
    console_flush();
    return 0;
}
