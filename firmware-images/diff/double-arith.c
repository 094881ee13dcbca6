/*
 * Double precision: every board computes these in software (FPv4-SP has no double unit), through
 * libgcc's __aeabi_d* helpers. Results are printed as bit patterns so that printf rounding cannot
 * hide a wrong last bit.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "diff.h"

static uint64_t bits(double value)
{
    uint64_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}

static volatile double operands[] = { 1.0, -2.5, 3.0e100, 1.0e-300, 0.1, 7.0, -0.0, 4.9406564584124654e-324 };

int main(void)
{
    const unsigned count = sizeof operands / sizeof operands[0];
    for (unsigned i = 0; i < count; i++) {
        for (unsigned j = 0; j < count; j++) {
            double a = operands[i], b = operands[j];
            printf("%u,%u: %016llx %016llx %016llx %016llx %d%d%d\n", i, j, (unsigned long long)bits(a + b),
                   (unsigned long long)bits(a - b), (unsigned long long)bits(a * b), (unsigned long long)bits(a / b),
                   a < b, a == b, a >= b);
        }
    }
    volatile double two = 2.0, big = 1e19, negative = -123.75;
    printf("sqrt %016llx\n", (unsigned long long)bits(sqrt(two)));
    printf("to int %d %u %lld %llu\n", (int)negative, (unsigned)two, (long long)(-big / 4.0), (unsigned long long)big);
    printf("from int %016llx %016llx\n", (unsigned long long)bits((double)(volatile int){ -7 }),
           (unsigned long long)bits((double)(volatile long long){ 0x7FFFFFFFFFFFFFFFLL }));
    float narrowed = (float)negative;
    uint32_t narrowed_bits;
    memcpy(&narrowed_bits, &narrowed, sizeof narrowed_bits);
    printf("float<->double %08lx %016llx\n", (unsigned long)narrowed_bits, (unsigned long long)bits((double)(float)operands[4]));
    printf("floor %g ceil %g round %g trunc %g fmod %g\n", floor(negative), ceil(negative), round(negative), trunc(negative),
           fmod(negative, 10.0));
    printf("overflow %016llx underflow %016llx nan? %d\n", (unsigned long long)bits(big * 1e300),
           (unsigned long long)bits(operands[3] * 1e-30), isnan(sqrt(-two)));
    return 13;
}
