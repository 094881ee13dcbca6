/* USART1 output from the interrupt handler: TXEIE refills DR byte by byte, the last byte switches to TCIE, and the TC
   interrupt ends the transfer. main sleeps (WFI) until then and counts the interrupts it took. */
#include "stm32.h"

#define USART1_IRQ 37

static const char message[] = "interrupt-driven output: TXE refills, TC ends\n";
static volatile uint32_t next;
static volatile uint32_t done;
static volatile uint32_t interrupts;

void usart1_handler(void)
{
    interrupts++;
    uint32_t sr = USART_SR(USART1_BASE);
    uint32_t cr1 = USART_CR1(USART1_BASE);
    if ((cr1 & USART_CR1_TXEIE) && (sr & USART_SR_TXE)) {
        USART_DR(USART1_BASE) = (uint8_t)message[next++];
        if (message[next] == '\0') {
            USART_CR1(USART1_BASE) = (cr1 & ~USART_CR1_TXEIE) | USART_CR1_TCIE;
        }
    } else if ((cr1 & USART_CR1_TCIE) && (sr & USART_SR_TC)) {
        USART_CR1(USART1_BASE) = cr1 & ~USART_CR1_TCIE;
        done = 1;
    }
}

int main(void)
{
    console_init();
    console_puts("start\n");
    console_flush();
    nvic_enable(USART1_IRQ);
    USART_CR1(USART1_BASE) |= USART_CR1_TXEIE;
    while (!done) {
        __asm__ volatile("wfi");
    }
    nvic_disable(USART1_IRQ);
    console_puts("sent ");
    console_dec(next);
    console_puts(" bytes in ");
    console_dec(interrupts);
    console_puts(" interrupts\n");
    console_flush();
    return 0;
}
