/* printf of doubles (newlib's dtoa): fixed, exponent and general forms, precision, specials. */
#include <math.h>
#include "diff.h"

int main(void)
{
    static const double values[] = { 0.0, -0.0, 1.0, -1.5, 3.14159265358979, 1e-7, 123456789.125, 6.02214076e23, 2.5e-310 };
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        double v = values[i];
        printf("%f | %.2f | %e | %.3E | %g | %G | %10.4f | %-12.1e|\n", v, v, v, v, v, v, v, v);
    }
    printf("%f %f %f\n", (double)INFINITY, -(double)INFINITY, (double)NAN);
    printf("%.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -0.5);
    printf("%#.0f %+.3f % .3f\n", 3.0, 2.0, 2.0);
    printf("%.17g %.17g\n", 0.1, 1.0 / 3.0);
    printf("%g %g %g\n", 100000.0, 1000000.0, 0.0001);
    return 3;
}
