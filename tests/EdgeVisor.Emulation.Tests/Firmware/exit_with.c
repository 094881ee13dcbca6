/* exit(EXIT_STATUS) through newlib: the process exit code qemu-system-arm gives is the reference. */
#include <stdlib.h>

int main(void)
{
    exit(EXIT_STATUS);
}
