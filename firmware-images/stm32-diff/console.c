#include "stm32.h"

void console_init(void)
{
    USART_BRR(USART1_BASE) = BRR_115200_HSI;
    USART_CR1(USART1_BASE) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE;
}

void console_putc(char c)
{
    while (!(USART_SR(USART1_BASE) & USART_SR_TXE)) {
    }
    USART_DR(USART1_BASE) = (uint8_t)c;
}

void console_puts(const char *s)
{
    while (*s) {
        console_putc(*s++);
    }
}

void console_hex(uint32_t value)
{
    console_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        console_putc("0123456789abcdef"[(value >> shift) & 0xF]);
    }
}

void console_dec(uint32_t value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) {
        console_putc(digits[--n]);
    }
}

void console_flush(void)
{
    while (!(USART_SR(USART1_BASE) & USART_SR_TC)) {
    }
}

void semihost_exit(uint32_t code)
{
    /* SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit and the exit code. */
    static volatile uint32_t block[2];
    block[0] = 0x20026;
    block[1] = code;
    register uint32_t r0 __asm__("r0") = 0x20;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {
    }
}
