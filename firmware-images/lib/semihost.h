/*
 * Direct Arm semihosting calls (BKPT 0xAB on M-profile) for what newlib's rdimon does not offer:
 * reading the command line into argv, and exiting from a fault handler without touching libc.
 */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stddef.h>

#define SEMIHOST_SYS_WRITE0 0x04
#define SEMIHOST_SYS_GET_CMDLINE 0x15
#define SEMIHOST_SYS_EXIT 0x18
#define SEMIHOST_SYS_EXIT_EXTENDED 0x20
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026

/* Issues semihosting operation `op` with parameter block (or value) `arg`; returns R0. */
static inline int semihost_call(int op, const void *arg)
{
    register int r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* Copies the debugger's command line (NUL-terminated) into buf; returns its length or -1. */
int semihost_get_cmdline(char *buf, size_t size);

/* Writes a NUL-terminated string to the debugger console, bypassing stdio buffers. */
void semihost_write0(const char *s);

/* Ends the program with `code` as the host's exit status (SYS_EXIT_EXTENDED). */
void semihost_exit(int code) __attribute__((noreturn));

#endif
