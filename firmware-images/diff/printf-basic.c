/* printf through semihosting: integers, strings and characters with widths, precision and flags. */
#include "diff.h"

int main(void)
{
    printf("plain text\n");
    printf("[%d] [%i] [%u] [%d]\n", 0, -1, 4000000000u, 2147483647);
    printf("[%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42);
    printf("[%x] [%X] [%#x] [%08x] [%o] [%#o]\n", 0xbeefu, 0xbeefu, 0xbeefu, 0x1234u, 8u, 8u);
    printf("[%s] [%10s] [%-10s] [%.3s] [%*s]\n", "edge", "right", "left", "truncate", 6, "star");
    printf("[%c%c%c] [%%] [%5c]\n", 'a', 'b', 'c', 'z');
    printf("[%.0d] [%.5d] [%8.3d] [%-+6d]\n", 0, 17, -5, 3);
    for (int i = 0; i < 4; i++) {
        printf("row %d: %*d|\n", i, i + 2, i * 111);
    }
    int written = printf("counted\n");
    printf("printf returned %d\n", written);
    puts("puts adds a newline");
    putchar('!');
    putchar('\n');
    fputs("fputs does not\n", stdout);
    return 0;
}
