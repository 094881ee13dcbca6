/* printf length modifiers: long long, long, short and char (newlib here has no C99 %z/%j). */
#include <stddef.h>
#include <stdint.h>
#include "diff.h"

int main(void)
{
    long long big = -9223372036854775807LL - 1;
    unsigned long long ubig = 18446744073709551615ULL;
    printf("%lld\n", big);
    printf("%llu\n", ubig);
    printf("%llx %llX\n", 0x0123456789abcdefULL, 0xfedcba9876543210ULL);
    printf("%020lld|%-20lld|\n", 1234567890123LL, -1234567890123LL);
    printf("%ld %lu %lx\n", -2147483647L - 1, 4294967295UL, 0xdeadbeefUL);
    printf("%hd %hu %hhd %hhu\n", (short)-32768, (unsigned short)65535, (signed char)-128, (unsigned char)255);
    printf("%u %lld %lu\n", (unsigned)sizeof(long long), (long long)((int64_t)1 << 40), (unsigned long)123456789u);
    volatile long long x = 1;
    for (int i = 0; i < 64; i += 9) {
        printf("2^%d = %lld\n", i, x << i);
    }
    return 7;
}
