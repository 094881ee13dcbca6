/*
 * Vector table and C runtime start for the STM32F407VG: copy .data from flash, clear .bss, grant the
 * FPU (CP10/CP11), run static constructors and call main. Nothing here uses semihosting, so an image
 * boots the same on a board without a debugger.
 *
 * Every handler is a weak alias of Default_Handler, so a program defines only the ones it uses. The
 * names are those of the manual's vector table (RM0090 table 61) with an _IRQHandler suffix.
 */
#include <stdint.h>

#include "stm32f407.h"

extern uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__, __stack_top__;
extern void __libc_init_array(void);
extern int main(void);

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
#define STM32_IRQ(number, name) WEAK_HANDLER(name##_IRQHandler);
#include "irq-list.h"
#undef STM32_IRQ

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t vector_table[16 + IRQ_COUNT] = {
    (vector_t)&__stack_top__,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
#define STM32_IRQ(number, name) [16 + (number)] = name##_IRQHandler,
#include "irq-list.h"
#undef STM32_IRQ
};

/*
 * An exception nobody asked for parks the core with interrupts off, so a debugger (or the emulator's
 * lockup/asleep report) shows where it stopped: IPSR names the exception.
 */
void Default_Handler(void)
{
    __asm volatile("cpsid i");
    for (;;) {
        wait_for_interrupt();
    }
}

/* newlib's __libc_init_array calls _init (normally from crti.o, which -nostartfiles leaves out). */
void _init(void) {}
void _fini(void) {}

void Reset_Handler(void)
{
    /* Full access to CP10/CP11 before the first FP instruction (-mfloat-abi=hard may emit them anywhere). */
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n\tisb" ::: "memory");

    uint32_t *src = &__data_load__;
    for (uint32_t *dst = &__data_start__; dst < &__data_end__;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &__bss_start__; dst < &__bss_end__;) {
        *dst++ = 0;
    }
    __libc_init_array();
    main();
    for (;;) {
        wait_for_interrupt();
    }
}
