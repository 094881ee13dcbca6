/*
 * 64-bit integer arithmetic: multiply (UMULL/SMULL/UMLAL), divide and modulo through the EABI
 * helpers __aeabi_ldivmod/__aeabi_uldivmod, and shifts by constant and variable amounts.
 * Operands come through volatile so the compiler cannot fold them away.
 */
#include <stdint.h>
#include "diff.h"

static volatile int64_t signed_values[] = {
    0, 1, -1, 7, -7, 1000000007, -1000000007, INT64_MAX, INT64_MIN + 1, 0x123456789ABCDEFLL, -0x5555AAAA5555LL,
};
static volatile uint64_t unsigned_values[] = {
    1, 2, 3, 10, 0xFFFFFFFFull, 0x100000000ull, 0xFFFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0xDEADBEEFCAFEF00Dull,
};

static uint64_t fold(uint64_t hash, uint64_t value)
{
    return (hash ^ value) * 0x100000001B3ull;
}

int main(void)
{
    const unsigned signed_count = sizeof signed_values / sizeof signed_values[0];
    const unsigned unsigned_count = sizeof unsigned_values / sizeof unsigned_values[0];
    uint64_t hash = 0xCBF29CE484222325ull;

    for (unsigned i = 0; i < signed_count; i++) {
        for (unsigned j = 0; j < signed_count; j++) {
            int64_t a = signed_values[i], b = signed_values[j];
            hash = fold(hash, (uint64_t)(a * b));
            hash = fold(hash, (uint64_t)(a + b));
            hash = fold(hash, (uint64_t)(a - b));
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                hash = fold(hash, (uint64_t)(a / b));
                hash = fold(hash, (uint64_t)(a % b));
            }
        }
        if (i < 5) {
            printf("signed %lld: *3=%lld /3=%lld %%3=%lld >>5=%lld\n", signed_values[i], signed_values[i] * 3,
                   signed_values[i] / 3, signed_values[i] % 3, signed_values[i] >> 5);
        }
    }
    print_hex64("signed hash", hash);

    for (unsigned i = 0; i < unsigned_count; i++) {
        for (unsigned j = 0; j < unsigned_count; j++) {
            uint64_t a = unsigned_values[i], b = unsigned_values[j];
            hash = fold(hash, a * b);
            hash = fold(hash, a / b);
            hash = fold(hash, a % b);
        }
    }
    print_hex64("unsigned hash", hash);

    volatile uint64_t pattern = 0x8421F00F12345678ull;
    volatile int64_t negative = -0x7654321012345678LL;
    for (volatile int shift = 0; shift < 64; shift += 7) {
        printf("shift %2d: lsl %016llx lsr %016llx asr %016llx\n", shift, (unsigned long long)(pattern << shift),
               (unsigned long long)(pattern >> shift), (unsigned long long)(negative >> shift));
    }

    volatile uint32_t x = 0xFFFFFFFFu, y = 0xFFFFFFFEu;
    volatile int32_t s = -123456789, t = 987654321;
    print_hex64("umull", (uint64_t)x * y);
    print_hex64("smull", (uint64_t)((int64_t)s * t));
    print_hex64("umlal", (uint64_t)x * y + 0xFFFFFFFFFFull);
    printf("udiv %lu sdiv %ld urem %lu\n", (unsigned long)(x / 7u), (long)(s / 1000), (unsigned long)(x % 1000u));
    return 11;
}
