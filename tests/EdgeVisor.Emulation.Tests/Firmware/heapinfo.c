/* Prints what SYS_HEAPINFO returns. */
#include <stdio.h>

int main(void)
{
    static unsigned info[4];
    static unsigned *pointer = info;
    register unsigned r0 __asm__("r0") = 0x16;
    register unsigned **r1 __asm__("r1") = &pointer;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    printf("%08x %08x %08x %08x\n", info[0], info[1], info[2], info[3]);
    return 0;
}
