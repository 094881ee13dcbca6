/* Integer arithmetic across widths: the code GCC emits for it exercises most A64 data-processing forms. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    uint64_t seed = 0x9E3779B97F4A7C15ULL, acc = 0;
    int64_t sacc = 0;
    uint32_t acc32 = 1;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = next_random(&seed), b = next_random(&seed) | 1;
        int64_t sa = (int64_t)a, sb = (int64_t)(b >> (i & 31));
        acc += a / b + a % b + (a * b) + (a >> (i & 63)) + (a << (i & 7));
        acc ^= (uint64_t)((unsigned __int128)a * b >> 64);
        sacc += sb ? sa / sb : 0;
        sacc += (int64_t)((__int128)sa * sb >> 64);
        acc32 = acc32 * 2654435761u + (uint32_t)a / ((uint32_t)b | 1);
        acc32 ^= (uint32_t)__builtin_popcountll(a) + (uint32_t)__builtin_clzll(b) + (uint32_t)__builtin_ctzll(b);
        acc += __builtin_bswap64(a) ^ __builtin_bswap32((uint32_t)b);
        acc += (uint16_t)a * (int8_t)b;
        acc += a > b ? a - b : b - a;
        sacc += (int32_t)a < (int32_t)b ? -1 : 1;
    }
    printf("acc=%016" PRIx64 " sacc=%" PRId64 " acc32=%08" PRIx32 "\n", acc, sacc, acc32);

    uint64_t values[512];
    for (int i = 0; i < 512; i++)
        values[i] = next_random(&seed) % 100000;
    qsort(values, 512, sizeof values[0], compare_u64);
    printf("sorted min=%" PRIu64 " median=%" PRIu64 " max=%" PRIu64 " hash=%016" PRIx64 "\n",
           values[0], values[256], values[511], fnv1a(values, sizeof values, FNV_START));

    char text[256];
    snprintf(text, sizeof text, "%d %u %ld %lx %o %+05d %-6s| %c %%", -42, 42u, -1234567890123L, 0xdeadbeefUL, 511, 7, "ab", 'z');
    printf("%s\n", text);
    printf("strtol=%ld strtoull=%llu\n", strtol("-0x7fff", NULL, 16), strtoull("18446744073709551615", NULL, 10));
    volatile int32_t numerator = 7, denominator = -2, zero = 0;
    printf("div edge: %d %d\n", numerator / denominator, numerator % denominator);
    (void)zero;
    return 0;
}
