/* One raw semihosting call: BKPT 0xAB with R0 = OPERATION and R1 = PARAMETER (a value or a block). */
int main(void)
{
    static unsigned block[2] = { BLOCK0, BLOCK1 };
    register unsigned r0 __asm__("r0") = OPERATION;
    register unsigned r1 __asm__("r1") = USE_BLOCK ? (unsigned)block : PARAMETER;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return 99; /* not reached */
}
