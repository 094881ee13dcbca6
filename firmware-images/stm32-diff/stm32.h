/* Register access, USART1 output and semihosting exit for the STM32F4 differential programs. Written from RM0090;
   the programs never touch RCC (QEMU's netduinoplus2 leaves it unimplemented), so the STM32 runs on its 16 MHz HSI. */
#ifndef STM32_DIFF_H
#define STM32_DIFF_H

#include <stdint.h>

#define REG(address) (*(volatile uint32_t *)(address))

#define USART1_BASE 0x40011000u
#define USART_SR(base) REG((base) + 0x00)
#define USART_DR(base) REG((base) + 0x04)
#define USART_BRR(base) REG((base) + 0x08)
#define USART_CR1(base) REG((base) + 0x0C)
#define USART_SR_TC (1u << 6)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TXEIE (1u << 7)
#define USART_CR1_TCIE (1u << 6)
#define USART_CR1_UE (1u << 13)

/* 115200 baud from the 16 MHz HSI (PCLK2 after reset): 16e6 / 115200 = 138.9. */
#define BRR_115200_HSI 139u

#define NVIC_ISER(n) REG(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG(0xE000E180u + 4u * (n))

static inline void nvic_enable(unsigned irq) { NVIC_ISER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_disable(unsigned irq) { NVIC_ICER(irq / 32) = 1u << (irq % 32); }

void console_init(void);
void console_putc(char c);
void console_puts(const char *s);
void console_hex(uint32_t value);
void console_dec(uint32_t value);
/* Waits for TC: everything written so far has left the shift register. */
void console_flush(void);
void semihost_exit(uint32_t code) __attribute__((noreturn));

#endif
