/*
 * Shared helpers for the differential test programs. Each program prints what it computes (to
 * semihosting stdout, sometimes UART0) and exits with a program-specific code; the test suite runs
 * it on qemu-system-arm and on EdgeVisor and compares stdout and exit code byte for byte. Output
 * must therefore depend only on architecturally defined behaviour, never on timing or on values
 * the host chooses (heap location, command line, clock).
 */
#ifndef DIFF_H
#define DIFF_H

#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "semihost.h"

/* Registers the core pushes on exception entry (the basic frame). */
typedef struct {
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
} exception_frame_t;

/*
 * Defines `name` as an exception handler that calls `c_handler(exception_frame_t *frame)` with the
 * frame on whichever stack was active, so the C code can inspect and patch the return address.
 */
#define HANDLER_WITH_FRAME(name, c_handler)                                                          \
    void c_handler(exception_frame_t *frame);                                                        \
    __attribute__((naked)) void name(void)                                                           \
    {                                                                                                \
        __asm volatile("tst lr, #4\n\t"                                                              \
                       "ite eq\n\t"                                                                  \
                       "mrseq r0, msp\n\t"                                                           \
                       "mrsne r0, psp\n\t"                                                           \
                       "b " #c_handler "\n\t");                                                      \
    }

static inline void print_hex32(const char *label, uint32_t value)
{
    printf("%s = 0x%08lx\n", label, (unsigned long)value);
}

static inline void print_hex64(const char *label, uint64_t value)
{
    printf("%s = 0x%08lx%08lx\n", label, (unsigned long)(value >> 32), (unsigned long)value);
}

static inline uint32_t read_ipsr(void)
{
    uint32_t value;
    __asm volatile("mrs %0, ipsr" : "=r"(value));
    return value;
}

#endif
