/* What SYS_FLEN and SYS_ISTTY say about the three ":tt" handles (newlib's stdio buffering depends on both). */
#include <stdio.h>

static int call(unsigned operation, void *parameter)
{
    register unsigned r0 __asm__("r0") = operation;
    register void *r1 __asm__("r1") = parameter;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

int main(void)
{
    static const unsigned modes[3] = { 0, 4, 8 };
    for (int i = 0; i < 3; i++) {
        unsigned open_block[3] = { (unsigned)":tt", modes[i], 3 };
        unsigned handle = (unsigned)call(0x01, open_block);
        printf("mode %u: flen %d istty %d\n", modes[i], call(0x0C, &handle), call(0x09, &handle));
    }
    return 0;
}
