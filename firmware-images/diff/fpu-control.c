/*
 * FPv4-SP control (mps2-an386 only; on mps2-an385 it reports that there is no FPU): FPSCR rounding
 * modes applied by VADD/VDIV/VCVTR, cumulative exception flags, flush-to-zero and default-NaN modes,
 * and VCVT to/from fixed point.
 */
#include <stdint.h>
#include <string.h>
#include "diff.h"

#if defined(__ARM_FP)
static uint32_t read_fpscr(void)
{
    uint32_t value;
    __asm volatile("vmrs %0, fpscr" : "=r"(value));
    return value;
}

static void write_fpscr(uint32_t value)
{
    __asm volatile("vmsr fpscr, %0" ::"r"(value) : "memory");
}

static uint32_t bits(float value)
{
    uint32_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}

static float divide(float a, float b)
{
    float result;
    __asm volatile("vdiv.f32 %0, %1, %2" : "=t"(result) : "t"(a), "t"(b));
    return result;
}

static float add(float a, float b)
{
    float result;
    __asm volatile("vadd.f32 %0, %1, %2" : "=t"(result) : "t"(a), "t"(b));
    return result;
}

static int32_t to_int_rounded(float a) /* VCVTR uses the FPSCR rounding mode */
{
    float result;
    __asm volatile("vcvtr.s32.f32 %0, %1" : "=t"(result) : "t"(a));
    int32_t out;
    memcpy(&out, &result, sizeof out);
    return out;
}

static const char *const mode_names[] = { "nearest", "plus-inf", "minus-inf", "zero" };

int main(void)
{
    volatile float one = 1.0f, three = 3.0f, minus_one = -1.0f, half = 2.5f;
    volatile float tiny = 1.0e-38f; /* below FLT_MIN: a subnormal */
    for (uint32_t mode = 0; mode < 4; mode++) {
        write_fpscr(mode << 22);
        float q = divide(one, three), nq = divide(minus_one, three);
        printf("%-9s 1/3=%08lx -1/3=%08lx cvtr(2.5)=%ld cvtr(-2.5)=%ld 1+2^-24=%08lx\n", mode_names[mode],
               (unsigned long)bits(q), (unsigned long)bits(nq), (long)to_int_rounded(half),
               (long)to_int_rounded(-half), (unsigned long)bits(add(one, 5.9604645e-8f)));
    }

    write_fpscr(0);
    (void)divide(one, three);
    print_hex32("flags after inexact", read_fpscr() & 0x9F);
    write_fpscr(0);
    (void)divide(one, 0.0f);
    print_hex32("flags after 1/0", read_fpscr() & 0x9F);
    write_fpscr(0);
    (void)add(divide(0.0f, 0.0f), one);
    print_hex32("flags after 0/0", read_fpscr() & 0x9F);
    write_fpscr(0);
    (void)divide(tiny, 1000.0f); /* tiny result, rounded: underflow and inexact */
    print_hex32("flags after underflow", read_fpscr() & 0x9F);

    write_fpscr(1u << 24); /* FZ: subnormal results and inputs become zero */
    printf("flush-to-zero tiny/3=%08lx\n", (unsigned long)bits(divide(tiny, three)));
    print_hex32("flags with FZ", read_fpscr() & 0x9F);
    write_fpscr(1u << 25); /* DN: any NaN result is the default NaN */
    printf("default-nan %08lx\n", (unsigned long)bits(add(__builtin_nanf("0x123"), one)));
    write_fpscr(0);
    printf("propagated-nan %08lx\n", (unsigned long)bits(add(__builtin_nanf("0x123"), one)));

    float fixed = 3.75f;
    __asm volatile("vcvt.s32.f32 %0, %0, #8" : "+t"(fixed)); /* float -> Q23.8 */
    print_hex32("to fixed Q8", bits(fixed));
    __asm volatile("vcvt.f32.s32 %0, %0, #4" : "+t"(fixed)); /* read the same bits as Q27.4 */
    printf("from fixed Q4 %08lx\n", (unsigned long)bits(fixed));
    return 19;
}
#else
int main(void)
{
    printf("no FPU on " BOARD_NAME "\n");
    return 20;
}
#endif
