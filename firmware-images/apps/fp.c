/*
 * The floating-point image: single and double precision arithmetic and libm, printed with %f, %e
 * and %g through semihosting. On mps2-an386 (Cortex-M4F, hard-float ABI) float operations run on
 * the FPU; on mps2-an385 (Cortex-M3) everything is software floating point.
 */
#include <math.h>
#include <stdio.h>

int main(void)
{
#if defined(__ARM_FP)
    printf("fp on " BOARD_NAME ": hardware single precision (FPv4-SP), software double\n");
#else
    printf("fp on " BOARD_NAME ": software floating point\n");
#endif
    volatile float a = 1.5f, b = -2.25f, c = 3.0f;
    volatile double x = 2.0, y = 1e-3;

    printf("float  a*b+c   = %f\n", (double)(a * b + c));
    printf("float  a/c     = %.7f\n", (double)(a / c));
    printf("float  sqrtf 2 = %.7f\n", (double)sqrtf(2.0f));
    printf("float  sinf 1  = %e\n", (double)sinf(1.0f));
    printf("double sqrt 2  = %.15f\n", sqrt(x));
    printf("double exp 1   = %.15e\n", exp(1.0));
    printf("double log 10  = %.12g\n", log(10.0));
    printf("double pi      = %.10f\n", 4.0 * atan(1.0));
    printf("double small   = %e\n", y * y * y);
    printf("double 1/3     = %.17g\n", 1.0 / 3.0);
    return 0;
}
