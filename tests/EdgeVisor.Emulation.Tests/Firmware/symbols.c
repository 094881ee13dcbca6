/* Functions, initialised data and zeroed data, so the loader tests see text, .data at its load
   address in flash, .bss, and sized FUNC/OBJECT symbols to check against nm and addr2line. */
#include <stdio.h>

int counter = 42;
const char greeting[] = "hello from the loader test";
static unsigned scratch[64];

__attribute__((noinline)) int triple(int x)
{
    return 3 * x + (int)scratch[x & 63];
}

__attribute__((noinline)) int sum_to(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += triple(i);
    }
    return total;
}

int main(void)
{
    counter += sum_to(10);
    printf("%s %d\n", greeting, counter);
    return 0;
}
