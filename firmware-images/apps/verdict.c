/*
 * A test-style image: runs a handful of self-checks, prints each failure and a "PASS n/n" or
 * "FAIL k/n" summary through semihosting, and exits with the number of failed checks.
 *
 * Every "fail" argument on the semihosting command line (edgevisor run ... verdict.elf fail, or
 * QEMU's -semihosting-config arg=verdict,arg=fail) deliberately breaks one more check, so tests can
 * see a non-zero verdict without a second image.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run)(void); /* returns the value the check computes */
    int expected;
} check_t;

static int compare_ints(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static int check_sort(void)
{
    int values[] = { 42, -7, 19, 0, 3, 3, 100, -50 };
    qsort(values, sizeof values / sizeof values[0], sizeof values[0], compare_ints);
    return values[0] * 1000 + values[7]; /* -50 * 1000 + 100 */
}

static int check_strings(void)
{
    char buffer[32];
    strcpy(buffer, "edge");
    strcat(buffer, "visor");
    return (int)strlen(buffer) * 10 + (strcmp(buffer, "edgevisor") == 0);
}

static int check_division(void)
{
    volatile int dividend = -1000, divisor = 7;
    return dividend / divisor * 100 + dividend % divisor; /* -142 * 100 + -6 */
}

static int check_wide_multiply(void)
{
    volatile uint64_t a = 0x123456789ull, b = 0x1000ull;
    return (int)((a * b) >> 32); /* 0x1234 */
}

static int check_heap(void)
{
    char *block = malloc(1000);
    if (block == NULL) {
        return -1;
    }
    memset(block, 0x5A, 1000);
    int sum = 0;
    for (int i = 0; i < 1000; i += 100) {
        sum += block[i];
    }
    free(block);
    return sum; /* 10 * 0x5A */
}

static int check_format(void)
{
    char text[32];
    return snprintf(text, sizeof text, "%05d|%-3s|%x", 42, "ab", 255); /* "00042|ab |ff" */
}

static const check_t checks[] = {
    { "qsort", check_sort, -49900 },
    { "strings", check_strings, 91 },
    { "division", check_division, -14206 },
    { "64-bit multiply", check_wide_multiply, 0x1234 },
    { "malloc", check_heap, 900 },
    { "snprintf", check_format, 12 },
};

int main(int argc, char **argv)
{
    const int total = (int)(sizeof checks / sizeof checks[0]);
    int sabotaged = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "fail") == 0) {
            sabotaged++;
        }
    }

    int failures = 0;
    for (int i = 0; i < total; i++) {
        int expected = checks[i].expected + (i < sabotaged ? 1 : 0);
        int actual = checks[i].run();
        if (actual != expected) {
            printf("FAILED %s: expected %d, got %d\n", checks[i].name, expected, actual);
            failures++;
        }
    }

    if (failures == 0) {
        printf("PASS %d/%d\n", total, total);
    } else {
        printf("FAIL %d/%d\n", failures, total);
    }
    return failures;
}
