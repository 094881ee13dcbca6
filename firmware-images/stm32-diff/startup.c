/* Vector table (16 system exceptions + the STM32F405/407's 82 interrupts) and C start for the differential programs.
   A program defines the handlers it needs; every other vector goes to default_handler, which reports and exits. */
#include "stm32.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;
int main(void);

void reset_handler(void);

void default_handler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    console_puts("unexpected exception ");
    console_dec(ipsr);
    console_puts("\n");
    console_flush();
    semihost_exit(100);
}

#define WEAK_HANDLER __attribute__((weak, alias("default_handler")))
void usart1_handler(void) WEAK_HANDLER;
void tim2_handler(void) WEAK_HANDLER;
void tim3_handler(void) WEAK_HANDLER;
void tim4_handler(void) WEAK_HANDLER;
void tim5_handler(void) WEAK_HANDLER;
void tim1_brk_tim9_handler(void) WEAK_HANDLER;
void tim1_up_tim10_handler(void) WEAK_HANDLER;
void tim1_trg_com_tim11_handler(void) WEAK_HANDLER;
void tim8_brk_tim12_handler(void) WEAK_HANDLER;
void tim8_up_tim13_handler(void) WEAK_HANDLER;
void tim8_trg_com_tim14_handler(void) WEAK_HANDLER;
void tim6_dac_handler(void) WEAK_HANDLER;
void tim7_handler(void) WEAK_HANDLER;

#define IRQ_COUNT 82
typedef void (*vector_t)(void);

/* Ranges fill the defaults, then the named entries override them. */
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + IRQ_COUNT] = {
    [0] = (vector_t)&__stack_top,
    [1] = reset_handler,
    [2 ... 15] = default_handler,
    [16 ... 16 + IRQ_COUNT - 1] = default_handler,
    [16 + 28] = tim2_handler,
    [16 + 29] = tim3_handler,
    [16 + 30] = tim4_handler,
    [16 + 37] = usart1_handler,
    [16 + 50] = tim5_handler,
    [16 + 24] = tim1_brk_tim9_handler,
    [16 + 25] = tim1_up_tim10_handler,
    [16 + 26] = tim1_trg_com_tim11_handler,
    [16 + 43] = tim8_brk_tim12_handler,
    [16 + 44] = tim8_up_tim13_handler,
    [16 + 45] = tim8_trg_com_tim14_handler,
    [16 + 54] = tim6_dac_handler,
    [16 + 55] = tim7_handler,
};

void reset_handler(void)
{
    for (uint32_t *src = &__data_load, *dst = &__data_start; dst < &__data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &__bss_start; dst < &__bss_end;) {
        *dst++ = 0;
    }
    semihost_exit((uint32_t)main());
}
