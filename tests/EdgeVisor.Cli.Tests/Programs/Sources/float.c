/* Scalar floating point: libm, conversions, rounding modes and exception flags (printed exactly with %a). */
#include <fenv.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include "common.h"

static void show(const char *name, double value) { printf("%s=%a\n", name, value); }

int main(void)
{
    uint64_t seed = 12345;
    double sum = 0, product = 1;
    float fsum = 0;
    for (int i = 1; i <= 2000; i++) {
        double x = (double)(next_random(&seed) >> 11) / 9007199254740992.0 * 10.0 - 5.0;
        sum += sin(x) * cos(x / 3) + exp(x / 4) - log1p(fabs(x)) + sqrt(fabs(x)) + pow(fabs(x) + 1, 0.37);
        sum += fma(x, x, -x) + atan2(x, 1.5) + cbrt(x) + tanh(x) + hypot(x, 2.0);
        product *= 1.0 + x / 1024.0;
        fsum += sinf((float)x) + sqrtf((float)fabs(x)) * 0.5f + (float)x / 3.0f;
    }
    show("sum", sum);
    show("product", product);
    printf("fsum=%a\n", (double)fsum);

    const int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    const char *names[] = { "nearest", "upward", "downward", "zero" };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0, c = -2.0, d = 7.0;
        volatile float fa = 1.0f, fb = 3.0f;
        printf("%s: %a %a %a %a %ld %a\n", names[m], a / b, c / d, (double)(fa / fb), sqrt(d), lrint(2.5 + a), rint(-2.5));
    }
    fesetround(FE_TONEAREST);

    feclearexcept(FE_ALL_EXCEPT);
    volatile double zero = 0.0, one = 1.0, big = DBL_MAX, tiny = DBL_MIN;
    volatile double r1 = one / zero;
    printf("divbyzero=%d inf=%a\n", fetestexcept(FE_DIVBYZERO) != 0, r1);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r2 = big * 2.0;
    printf("overflow=%d inexact=%d r=%a\n", fetestexcept(FE_OVERFLOW) != 0, fetestexcept(FE_INEXACT) != 0, r2);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r3 = tiny / 3.0;
    printf("underflow=%d r=%a\n", fetestexcept(FE_UNDERFLOW) != 0, r3);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r4 = zero / zero;
    printf("invalid=%d nan=%d\n", fetestexcept(FE_INVALID) != 0, isnan(r4));

    volatile double conv[] = { 1e20, -1e20, 2147483647.5, -2147483648.7, 4294967295.9, -0.9, NAN, INFINITY };
    for (int i = 0; i < 8; i++) {
        feclearexcept(FE_ALL_EXCEPT);
        printf("conv %a -> i32=%d u32=%u i64=%" PRId64 " u64=%" PRIu64 " f=%a flags=%d\n", conv[i],
               (int32_t)conv[i], (uint32_t)conv[i], (int64_t)conv[i], (uint64_t)conv[i], (double)(float)conv[i],
               fetestexcept(FE_INVALID | FE_INEXACT));
    }
    volatile int64_t big_int = INT64_MAX;
    volatile uint64_t big_uint = UINT64_MAX;
    printf("itof %a %a %a\n", (double)big_int, (double)(float)big_uint, (double)(float)(int32_t)-7);
    printf("fmin/fmax %a %a %a\n", fmin(NAN, 1.0), fmax(-0.0, 0.0), copysign(3.0, -0.0));
    printf("round %a %a %a %a\n", round(2.5), floor(-2.5), ceil(-2.5), trunc(-2.7));
    printf("printf %.17g %.3e %g %f\n", M_PI, 6.02214076e23, 1e-5, 2.0 / 3.0);
    return 0;
}
