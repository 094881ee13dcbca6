/* sprintf/snprintf of many formats into buffers: return values, truncation, and the text produced. */
#include <stdarg.h>
#include <string.h>
#include "diff.h"

/* Truncation is what this program tests. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static void show(const char *format, ...)
{
    char buffer[96];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    printf("%-14s -> %2d [%s]\n", format, length, buffer);
}

int main(void)
{
    show("%d", -2147483647 - 1);
    show("%+08d", 123);
    show("%-8d|", -45);
    show("%x/%X", 0xabcdefu, 0xabcdefu);
    show("%#010x", 0x1234u);
    show("%o", 0777u);
    show("%lld", -1234567890123456789LL);
    show("%llx", 0xfedcba9876543210ULL);
    show("%.3s", "abcdef");
    show("%10.2s|", "abcdef");
    show("%c%c", 'O', 'K');
    show("%5.1f", 3.14159);
    show("%-10.3e|", 12345.678);
    show("%g", 0.00001234);
    show("%g", 123456789.0);
    show("%.0e", 5.5);
    show("%%");
    show("%u", 3000000000u);
    show("%hhx", 0x1ff);

    char small[8];
    int needed = snprintf(small, sizeof small, "%s", "longer than eight");
    printf("truncated: %d [%s]\n", needed, small);
    needed = snprintf(NULL, 0, "%d-%d", 100, 200);
    printf("size query: %d\n", needed);
    char out[64];
    int length = sprintf(out, "%s=%d;%s=%.2f", "a", 1, "b", 2.5);
    printf("sprintf: %d [%s] strlen %u\n", length, out, (unsigned)strlen(out));
    return 39;
}
