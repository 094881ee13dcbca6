/* Minimal MPS2 start-up for the reference tests: copy .data from its load address, then run
   newlib's rdimon crt0 (_start), which sets up the heap, argv and calls main and exit. */
extern void _start(void);
extern unsigned long __stack_top, __data_start, __data_end, __data_load;

void Reset_Handler(void)
{
    unsigned long *source = &__data_load;
    unsigned long *destination = &__data_start;
    while (destination < &__data_end) {
        *destination++ = *source++;
    }
    _start();
}

__attribute__((section(".vectors"), used)) void *const vectors[16] = {
    (void *)&__stack_top,
    (void *)Reset_Handler,
};
