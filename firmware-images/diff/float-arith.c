/*
 * Single precision: on mps2-an386 the compiler emits FPv4-SP instructions (VADD, VMUL, VDIV,
 * VSQRT, VFMA, VCVT...); on mps2-an385 the same source goes through libgcc's soft-float helpers.
 * Results are printed as bit patterns.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "diff.h"

static uint32_t bits(float value)
{
    uint32_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}

static volatile float operands[] = { 1.0f, -2.5f, 3.0e38f, 1.0e-38f, 0.1f, 7.0f, -0.0f, 1.4e-45f, 16777217.0f };

int main(void)
{
    const unsigned count = sizeof operands / sizeof operands[0];
    uint32_t hash = 2166136261u;
    for (unsigned i = 0; i < count; i++) {
        for (unsigned j = 0; j < count; j++) {
            float a = operands[i], b = operands[j];
            uint32_t sum = bits(a + b), difference = bits(a - b), product = bits(a * b), quotient = bits(a / b);
            if (i == j || i + 1 == j) {
                printf("%u,%u: %08lx %08lx %08lx %08lx\n", i, j, (unsigned long)sum, (unsigned long)difference,
                       (unsigned long)product, (unsigned long)quotient);
            }
            hash = (hash ^ sum ^ (difference << 1) ^ (product << 2) ^ (quotient << 3)) * 16777619u;
            hash = (hash ^ (uint32_t)((a < b) | (a == b) << 1 | (a > b) << 2)) * 16777619u;
        }
    }
    printf("pairwise hash %08lx\n", (unsigned long)hash);

    volatile float x = 2.0f, y = 0.3f, z = -1.25f;
    printf("sqrtf %08lx fmaf %08lx fabsf %08lx\n", (unsigned long)bits(sqrtf(x)), (unsigned long)bits(fmaf(x, y, z)),
           (unsigned long)bits(fabsf(z)));
    printf("a*b+c %08lx a*b-c %08lx -(a*b) %08lx\n", (unsigned long)bits(x * y + z), (unsigned long)bits(x * y - z),
           (unsigned long)bits(-(x * y)));
    printf("to int %d %u %d\n", (int)z, (unsigned)(y * 100.0f), (int)(float)operands[2] > 0);
    printf("from int %08lx %08lx\n", (unsigned long)bits((float)(volatile int){ -16777217 }),
           (unsigned long)bits((float)(volatile unsigned){ 4294967295u }));
    printf("libm sinf %08lx expf %08lx logf %08lx powf %08lx\n", (unsigned long)bits(sinf(y)),
           (unsigned long)bits(expf(z)), (unsigned long)bits(logf(x)), (unsigned long)bits(powf(x, y)));
    printf("printed %.6f %.3e %g\n", (double)(x / 3.0f), (double)(y * y), (double)z);
    return 17;
}
