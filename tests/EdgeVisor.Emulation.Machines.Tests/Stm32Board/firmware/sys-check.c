/*
 * sys-check: the stm32f4-discovery system peripherals as firmware uses them (EdgeVisor's Stm32Board tests).
 *  1. HAL-style clock init (HSE 8 MHz -> PLL 168 MHz, flash 5 wait states, regulator scale 1).
 *  2. PD12 (green LED) toggles every 1 ms, timed by SysTick on its reference clock (HCLK/8 = 21 MHz), 10 times.
 *  3. EXTI1 by software (SWIER) runs its handler, which sets PD14.
 *  4. Waits up to 50 ms for a rising edge on PA0 (the user button) through SYSCFG/EXTI0; the handler toggles PD13.
 *  5. Unlocks the flash, erases sector 11, programs a word there, checks it, locks again.
 * Exit code (semihosting): 0 when every step worked, else the number of the step that failed (10 + clock status).
 */
#include <stdint.h>

#include "clock.h"
#include "gpio.h"
#include "semihost.h"
#include "stm32f407.h"

#define SECTOR11 0x080E0000u
#define EXTI1_IRQ 7

static volatile uint32_t button_presses;
static volatile uint32_t software_interrupts;

void EXTI0_IRQHandler(void)
{
    EXTI->pr = 1u << 0;
    button_presses++;
    gpio_toggle(GPIOD, 13);
}

void EXTI1_IRQHandler(void)
{
    EXTI->pr = 1u << 1;
    software_interrupts++;
    gpio_set(GPIOD, 14, 1);
}

/* One millisecond on SysTick's reference clock (CLKSOURCE = 0: HCLK / 8). */
static void systick_1ms_reference(uint32_t hclk_hz)
{
    SYSTICK->load = hclk_hz / 8u / 1000u - 1u;
    SYSTICK->val = 0;
    SYSTICK->ctrl = SYSTICK_CTRL_ENABLE;
}

static void wait_ms(void)
{
    while ((SYSTICK->ctrl & (1u << 16)) == 0) {
        /* COUNTFLAG */
    }
}

static int flash_check(void)
{
    FLASH_IF->keyr = 0x45670123u;
    FLASH_IF->keyr = 0xCDEF89ABu;
    if (FLASH_IF->cr & (1u << 31)) {
        return 0;
    }
    FLASH_IF->cr = (2u << 8) | (11u << 3) | (1u << 1); /* PSIZE x32, sector 11, SER */
    FLASH_IF->cr |= 1u << 16;                          /* STRT */
    while (FLASH_IF->sr & (1u << 16)) {
    }
    if (*(volatile uint32_t *)SECTOR11 != 0xFFFFFFFFu) {
        return 0;
    }
    FLASH_IF->cr = (2u << 8) | 1u; /* PG */
    *(volatile uint32_t *)SECTOR11 = 0x12345678u;
    while (FLASH_IF->sr & (1u << 16)) {
    }
    FLASH_IF->cr = 1u << 31; /* LOCK */
    return *(volatile uint32_t *)SECTOR11 == 0x12345678u && (FLASH_IF->sr & 0xF2u) == 0;
}

int main(void)
{
    enum clock_status status = clock_init_168mhz();
    if (status != CLOCK_OK) {
        semihost_exit(10 + (int)status);
    }
    struct clock_rates rates = clock_read_back();

    RCC->ahb1enr |= RCC_AHB1ENR_GPIOAEN | RCC_AHB1ENR_GPIODEN;
    RCC->apb2enr |= RCC_APB2ENR_SYSCFGEN;
    for (unsigned pin = 12; pin <= 15; pin++) {
        gpio_output(GPIOD, pin);
    }

    systick_1ms_reference(rates.hclk_hz);
    for (int i = 0; i < 10; i++) {
        wait_ms();
        gpio_toggle(GPIOD, 12);
    }

    EXTI->imr |= 1u << 1;
    NVIC_ISER[0] = 1u << EXTI1_IRQ;
    EXTI->swier = 1u << 1;
    __asm volatile("dsb\n\tisb" ::: "memory");
    if (software_interrupts != 1 || EXTI->swier != 0) {
        semihost_exit(3);
    }

    gpio_input(GPIOA, 0, GPIO_PULL_DOWN);
    SYSCFG->exticr[0] = (SYSCFG->exticr[0] & ~0xFu) | 0u; /* line 0 from port A */
    EXTI->rtsr |= 1u << 0;
    EXTI->imr |= 1u << 0;
    nvic_enable(IRQ_EXTI0, 2);
    for (int ms = 0; ms < 50 && button_presses == 0; ms++) {
        wait_ms();
    }
    if (button_presses != 1) {
        semihost_exit(4);
    }

    semihost_exit(flash_check() ? 0 : 5);
}
