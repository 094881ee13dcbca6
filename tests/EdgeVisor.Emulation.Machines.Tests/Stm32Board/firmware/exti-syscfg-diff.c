/*
 * exti-syscfg-diff: EXTI and SYSCFG register behaviour that QEMU's netduinoplus2 (STM32F405) models too,
 * printed through semihosting so the test can compare EdgeVisor's stm32f4-discovery with qemu-system-arm:
 * reset values, read-back of the mask/edge registers and EXTICR1-4, SWIER on a masked line (no pending bit),
 * PR write-1-to-clear. No clock set-up: QEMU 7.2 has no RCC model.
 */
#include <stdint.h>

#include "semihost.h"
#include "stm32f407.h"

#define SYS_WRITE0 0x04

static void write0(const char *text)
{
    register int r0 __asm("r0") = SYS_WRITE0;
    register const char *r1 __asm("r1") = text;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
}

static void print_hex(const char *name, uint32_t value)
{
    char line[40];
    int n = 0;
    while (*name) {
        line[n++] = *name++;
    }
    line[n++] = ' ';
    for (int shift = 28; shift >= 0; shift -= 4) {
        line[n++] = "0123456789abcdef"[(value >> shift) & 0xFu];
    }
    line[n++] = '\n';
    line[n] = 0;
    write0(line);
}

static void dump(const char *when)
{
    write0(when);
    write0(":\n");
    print_hex("IMR", EXTI->imr);
    print_hex("EMR", EXTI->emr);
    print_hex("RTSR", EXTI->rtsr);
    print_hex("FTSR", EXTI->ftsr);
    print_hex("SWIER", EXTI->swier);
    print_hex("PR", EXTI->pr);
    for (int i = 0; i < 4; i++) {
        print_hex("EXTICR", SYSCFG->exticr[i]);
    }
}

int main(void)
{
    dump("reset");
    EXTI->imr = 0x00500001u;
    EXTI->emr = 0x00012345u;
    EXTI->rtsr = 0x007F00FFu;
    EXTI->ftsr = 0x000FF00Fu;
    SYSCFG->exticr[0] = 0x1234u;
    SYSCFG->exticr[1] = 0x5678u;
    SYSCFG->exticr[2] = 0x0123u;
    SYSCFG->exticr[3] = 0x8765u;
    EXTI->swier = 0x00000100u; /* line 8: masked in IMR, so nothing pends */
    dump("written");
    EXTI->pr = 0x007FFEFFu; /* not line 8: RM0090 clears SWIER with PR, QEMU 7.2 keeps it */
    SYSCFG->exticr[1] = 0;
    dump("cleared");
    semihost_exit(0);
}
