/* Every STM32F4 timer's update interrupt reaches its RM0090 vector, including the shared ones (TIM1_UP_TIM10,
   TIM8_UP_TIM13, TIM1_BRK_TIM9, ...). One handler serves them all: it notes the vector (IPSR - 16) and clears UIF of
   whichever timer raised it. QEMU's netduinoplus2 has only TIM2-5, so this program runs on stm32f4-discovery alone. */
#include "stm32.h"

#define TIM_CR1(base) REG((base) + 0x00)
#define TIM_DIER(base) REG((base) + 0x0C)
#define TIM_SR(base) REG((base) + 0x10)
#define TIM_EGR(base) REG((base) + 0x14)
#define TIM_PSC(base) REG((base) + 0x28)
#define TIM_ARR(base) REG((base) + 0x2C)

#define TICKS 3

struct timer {
    const char *name;
    uint32_t base;
    unsigned irq;
};

static const struct timer timers[] = {
    {"tim1", 0x40010000u, 25},  {"tim6", 0x40001000u, 54},  {"tim7", 0x40001400u, 55},
    {"tim8", 0x40010400u, 44},  {"tim9", 0x40014000u, 24},  {"tim10", 0x40014400u, 25},
    {"tim11", 0x40014800u, 26}, {"tim12", 0x40001800u, 43}, {"tim13", 0x40001C00u, 44},
    {"tim14", 0x40002000u, 45},
};
#define TIMER_COUNT (sizeof timers / sizeof timers[0])

static volatile uint32_t ticks[TIMER_COUNT];
static volatile uint32_t vector[TIMER_COUNT];

static void timer_interrupt(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    for (unsigned i = 0; i < TIMER_COUNT; i++) {
        uint32_t base = timers[i].base;
        if ((TIM_DIER(base) & 1) && (TIM_SR(base) & 1)) {
            TIM_SR(base) = ~1u;
            vector[i] = ipsr - 16;
            if (++ticks[i] == TICKS) {
                TIM_CR1(base) = 0;
            }
        }
    }
}

void tim1_brk_tim9_handler(void) { timer_interrupt(); }
void tim1_up_tim10_handler(void) { timer_interrupt(); }
void tim1_trg_com_tim11_handler(void) { timer_interrupt(); }
void tim8_brk_tim12_handler(void) { timer_interrupt(); }
void tim8_up_tim13_handler(void) { timer_interrupt(); }
void tim8_trg_com_tim14_handler(void) { timer_interrupt(); }
void tim6_dac_handler(void) { timer_interrupt(); }
void tim7_handler(void) { timer_interrupt(); }

int main(void)
{
    console_init();
    for (unsigned i = 0; i < TIMER_COUNT; i++) {
        const struct timer *t = &timers[i];
        TIM_PSC(t->base) = 15;
        TIM_ARR(t->base) = 99;
        TIM_EGR(t->base) = 1;
        TIM_SR(t->base) = 0;
        TIM_DIER(t->base) = 1;
        nvic_enable(t->irq);
        TIM_CR1(t->base) = 1;
        while (ticks[i] < TICKS) {
            __asm__ volatile("wfi");
        }
        nvic_disable(t->irq);
        console_puts(t->name);
        console_puts(": ");
        console_dec(ticks[i]);
        console_puts(" update interrupts on irq ");
        console_dec(vector[i]);
        console_puts("\n");
    }
    console_flush();
    return 0;
}
