/*
 * Start-up the way most rdimon firmware does it: through newlib's own crt0 (_start), which clears
 * .bss, asks the host for the heap and stack through SYS_HEAPINFO and moves the stack there, opens
 * the console, reads the command line into argv and calls main. Only the copy of .data (which crt0
 * leaves to the loader) happens before it. Prints what the program can observe without addresses:
 * the arguments, that HEAPINFO was answered, that the heap and a deep stack work.
 */
#include <stdlib.h>
#include <string.h>
#include "diff.h"

extern void _start(void) __attribute__((noreturn));
extern void copy_data_section(void);
extern char *__heap_limit; /* librdimon's; crt0 stores SYS_HEAPINFO's heap limit here */

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    copy_data_section();
    _start();
}

__attribute__((noinline)) static uint32_t deep(uint32_t depth)
{
    volatile uint32_t frame[16];
    for (int i = 0; i < 16; i++) {
        frame[i] = depth * 16u + (uint32_t)i;
    }
    return depth == 0 ? frame[3] : frame[depth % 16] + deep(depth - 1);
}

int main(int argc, char **argv)
{
    printf("argc %d:", argc);
    for (int i = 0; i < argc; i++) {
        printf(" [%s]", argv[i]);
    }
    printf("\n");
    printf("heap limit set from HEAPINFO: %d\n", __heap_limit != (char *)0xcafedead);

    size_t size = 64 * 1024;
    unsigned char *block = malloc(size);
    if (block == NULL) {
        printf("malloc of 64 KiB failed\n");
        return 1;
    }
    memset(block, 0xA5, size);
    uint32_t sum = 0;
    for (size_t i = 0; i < size; i += 4096) {
        sum += block[i];
    }
    free(block);
    printf("64 KiB heap block sum %lu\n", (unsigned long)sum);
    printf("2000-deep recursion %lu\n", (unsigned long)deep(2000));
    return 51;
}
