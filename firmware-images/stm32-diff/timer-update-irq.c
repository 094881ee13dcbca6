/* TIM2..TIM5 update interrupts: each timer in turn counts at the 16 MHz HSI timer clock divided by PSC + 1 and
   interrupts every ARR + 1 counts; the handler clears UIF and counts, and the timer stops at the fifth interrupt.
   UG loads PSC before the interrupt is enabled (silicon sets UIF on UG; QEMU does not), so both count the same. */
#include "stm32.h"

#define TIM_CR1(base) REG((base) + 0x00)
#define TIM_DIER(base) REG((base) + 0x0C)
#define TIM_SR(base) REG((base) + 0x10)
#define TIM_EGR(base) REG((base) + 0x14)
#define TIM_PSC(base) REG((base) + 0x28)
#define TIM_ARR(base) REG((base) + 0x2C)

#define TICKS 5

struct timer {
    const char *name;
    uint32_t base;
    unsigned irq;
    uint32_t psc;
    uint32_t arr;
};

static const struct timer timers[] = {
    {"tim2", 0x40000000u, 28, 15, 999},  /* 1 kHz */
    {"tim3", 0x40000400u, 29, 159, 49},  /* 2 kHz */
    {"tim4", 0x40000800u, 30, 1, 3999},  /* 2 kHz */
    {"tim5", 0x40000C00u, 50, 0, 31999}, /* 500 Hz */
};

static volatile uint32_t ticks[4];

static void tick(int index)
{
    uint32_t base = timers[index].base;
    TIM_SR(base) = ~1u; /* clear UIF only */
    if (++ticks[index] == TICKS) {
        TIM_CR1(base) = 0;
    }
}

void tim2_handler(void) { tick(0); }
void tim3_handler(void) { tick(1); }
void tim4_handler(void) { tick(2); }
void tim5_handler(void) { tick(3); }

int main(void)
{
    console_init();
    for (int i = 0; i < 4; i++) {
        const struct timer *t = &timers[i];
        TIM_PSC(t->base) = t->psc;
        TIM_ARR(t->base) = t->arr;
        TIM_EGR(t->base) = 1; /* UG: load the prescaler */
        TIM_SR(t->base) = 0;
        TIM_DIER(t->base) = 1; /* UIE */
        nvic_enable(t->irq);
        TIM_CR1(t->base) = 1; /* CEN */
        while (ticks[i] < TICKS) {
            __asm__ volatile("wfi");
        }
        nvic_disable(t->irq);
        console_puts(t->name);
        console_puts(": ");
        console_dec(ticks[i]);
        console_puts(" update interrupts, psc ");
        console_dec(TIM_PSC(t->base));
        console_puts(" arr ");
        console_dec(TIM_ARR(t->base));
        console_puts(" cen ");
        console_dec(TIM_CR1(t->base) & 1);
        console_puts(" uif ");
        console_dec(TIM_SR(t->base) & 1);
        console_puts("\n");
    }
    console_flush();
    return 0;
}
