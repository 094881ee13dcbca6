/* Prints exactly what SYS_GET_CMDLINE returns, between brackets. */
#include <stdio.h>

int main(void)
{
    static char line[256];
    static unsigned block[2] = { (unsigned)line, sizeof line };
    register unsigned r0 __asm__("r0") = 0x15;
    register unsigned *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    printf("[%s] %u %d\n", line, block[1], (int)r0);
    return 0;
}
