/* Arguments, environment and exit status. */
#include <stdlib.h>
#include <string.h>
#include "common.h"

int main(int argc, char **argv)
{
    printf("hello from aarch64, argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    const char *probe = getenv("EDGEVISOR_TEST_VALUE");
    printf("env=%s\n", probe ? probe : "(unset)");
    fflush(stdout);
    return argc > 1 ? atoi(argv[argc - 1]) & 0xff : 0;
}
