/* abort() through newlib: SIGABRT becomes a semihosting exit with a run-time-error reason. */
#include <stdlib.h>

int main(void)
{
    abort();
}
