/* The three console channels: SYS_WRITE0 (debug channel), newlib's stdout and newlib's stderr. */
#include <stdio.h>
#include <stdlib.h>

static void write0(const char *text)
{
    register unsigned r0 __asm__("r0") = 0x04;
    register const char *r1 __asm__("r1") = text;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

int main(void)
{
    write0("debug channel\n");
    printf("stdout line\n");
    fflush(stdout);
    fprintf(stderr, "stderr line\n");
    return 0;
}
