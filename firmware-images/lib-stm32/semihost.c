#include "semihost.h"

#include "console.h"

#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static int semihost_call(int operation, const void *argument)
{
    register int r0 __asm("r0") = operation;
    register const void *r1 __asm("r1") = argument;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_exit(int code)
{
    /* The run ends at once; bytes still in USART2's shift register would never reach the host. */
    console_flush();
    const int block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
        /* A host without the extended call still stops on the plain one (exit code lost). */
        semihost_call(SYS_EXIT, (const void *)ADP_STOPPED_APPLICATION_EXIT);
    }
}
