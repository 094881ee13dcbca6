/*
 * Vector table and C runtime start for the MPS2 boards: copy .data, clear .bss, enable the FPU when
 * the image is built for one, open the semihosting console (newlib rdimon), split the semihosting
 * command line into argv, run main and exit with its result.
 *
 * Every handler is a weak alias of Default_Handler, so a program defines only the ones it uses.
 * The images are linked with -nostartfiles: this file replaces rdimon's crt0, whose SYS_HEAPINFO
 * call would move the stack to wherever the host puts it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "semihost.h"

#define EXTERNAL_IRQ_COUNT 32 /* the AN385/AN386 NVIC as QEMU configures it */
#define MAX_ARGS 16

extern uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__, __stack_top__;
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);
extern int main(int argc, char **argv);

/* Weak so that a program can start differently (diff/rdimon-crt0.c goes through newlib's crt0). */
void Reset_Handler(void) __attribute__((noreturn, weak));
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
WEAK_HANDLER(Irq0_Handler); WEAK_HANDLER(Irq1_Handler); WEAK_HANDLER(Irq2_Handler); WEAK_HANDLER(Irq3_Handler);
WEAK_HANDLER(Irq4_Handler); WEAK_HANDLER(Irq5_Handler); WEAK_HANDLER(Irq6_Handler); WEAK_HANDLER(Irq7_Handler);
WEAK_HANDLER(Irq8_Handler); WEAK_HANDLER(Irq9_Handler); WEAK_HANDLER(Irq10_Handler); WEAK_HANDLER(Irq11_Handler);
WEAK_HANDLER(Irq12_Handler); WEAK_HANDLER(Irq13_Handler); WEAK_HANDLER(Irq14_Handler); WEAK_HANDLER(Irq15_Handler);
WEAK_HANDLER(Irq16_Handler); WEAK_HANDLER(Irq17_Handler); WEAK_HANDLER(Irq18_Handler); WEAK_HANDLER(Irq19_Handler);
WEAK_HANDLER(Irq20_Handler); WEAK_HANDLER(Irq21_Handler); WEAK_HANDLER(Irq22_Handler); WEAK_HANDLER(Irq23_Handler);
WEAK_HANDLER(Irq24_Handler); WEAK_HANDLER(Irq25_Handler); WEAK_HANDLER(Irq26_Handler); WEAK_HANDLER(Irq27_Handler);
WEAK_HANDLER(Irq28_Handler); WEAK_HANDLER(Irq29_Handler); WEAK_HANDLER(Irq30_Handler); WEAK_HANDLER(Irq31_Handler);

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t vector_table[16 + EXTERNAL_IRQ_COUNT] = {
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
    Irq0_Handler, Irq1_Handler, Irq2_Handler, Irq3_Handler, Irq4_Handler, Irq5_Handler, Irq6_Handler, Irq7_Handler,
    Irq8_Handler, Irq9_Handler, Irq10_Handler, Irq11_Handler, Irq12_Handler, Irq13_Handler, Irq14_Handler, Irq15_Handler,
    Irq16_Handler, Irq17_Handler, Irq18_Handler, Irq19_Handler, Irq20_Handler, Irq21_Handler, Irq22_Handler,
    Irq23_Handler, Irq24_Handler, Irq25_Handler, Irq26_Handler, Irq27_Handler, Irq28_Handler, Irq29_Handler,
    Irq30_Handler, Irq31_Handler,
};

/* An exception nobody asked for: say which one and stop with a recognisable exit code. */
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    char message[] = "unexpected exception 00\n";
    message[21] = (char)('0' + (ipsr / 10u) % 10u);
    message[22] = (char)('0' + ipsr % 10u);
    semihost_write0(message);
    semihost_exit(127);
}

/* newlib's __libc_init_array calls _init (normally from crti.o, which -nostartfiles leaves out). */
void _init(void) {}
void _fini(void) {}

static char command_line[256];
static char *arguments[MAX_ARGS + 1];

/* Splits the semihosting command line at spaces; an empty line gives argc == 0. */
static int split_command_line(void)
{
    int argc = 0;
    if (semihost_get_cmdline(command_line, sizeof command_line) < 0) {
        return 0;
    }
    char *p = command_line;
    while (*p != '\0' && argc < MAX_ARGS) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        arguments[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    arguments[argc] = 0;
    return argc;
}

/* Copies initialised data from its load address in CODE to its place in DATA. */
void copy_data_section(void)
{
    uint32_t *src = &__data_load__;
    for (uint32_t *dst = &__data_start__; dst < &__data_end__;) {
        *dst++ = *src++;
    }
}

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    /* Grant full access to CP10/CP11 before the first FP instruction can run. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    copy_data_section();
    for (uint32_t *dst = &__bss_start__; dst < &__bss_end__;) {
        *dst++ = 0;
    }
    initialise_monitor_handles();
    __libc_init_array();
    int argc = split_command_line();
    exit(main(argc, arguments));
}
