/*
 * Conditional execution: every condition code in an explicit IT block after CMP of many operand
 * pairs, IT blocks of all lengths, and branch-free C (min/max/clamp/abs/select) that GCC turns into
 * IT sequences. The same source is built at -O2 (it-blocks) and -Os (it-blocks-os).
 */
#include "diff.h"

/* `ite cond` needs its else half to be the inverse condition; spell each pair out. */
#define PAIR(cond, inverse)                                                                                          \
    static uint32_t test_##cond(int32_t a, int32_t b)                                                               \
    {                                                                                                                \
        uint32_t result;                                                                                             \
        __asm volatile("cmp %1, %2\n\t"                                                                              \
                       "ite " #cond "\n\t"                                                                           \
                       "mov" #cond " %0, #1\n\t"                                                                     \
                       "mov" #inverse " %0, #0\n\t"                                                                  \
                       : "=r"(result) : "r"(a), "r"(b) : "cc");                                                      \
        return result;                                                                                               \
    }
PAIR(eq, ne) PAIR(ne, eq) PAIR(cs, cc) PAIR(cc, cs) PAIR(mi, pl) PAIR(pl, mi) PAIR(vs, vc)
PAIR(vc, vs) PAIR(hi, ls) PAIR(ls, hi) PAIR(ge, lt) PAIR(lt, ge) PAIR(gt, le) PAIR(le, gt)

typedef uint32_t (*condition_test_t)(int32_t, int32_t);
static const condition_test_t tests[] = { test_eq, test_ne, test_cs, test_cc, test_mi, test_pl, test_vs,
                                          test_vc, test_hi, test_ls, test_ge, test_lt, test_gt, test_le };

static volatile int32_t values[] = { 0, 1, -1, 2, 0x7FFFFFFF, (int32_t)0x80000000, 100, -100 };

/* An IT block of four with alternating then/else arms. */
static uint32_t four_arms(int32_t a, int32_t b)
{
    uint32_t x = 0, y = 0;
    __asm volatile("cmp %2, %3\n\t"
                   "itete gt\n\t"
                   "addgt %0, %0, #1\n\t"
                   "suble %0, %0, #2\n\t"
                   "addgt %1, %1, #4\n\t"
                   "suble %1, %1, #8\n\t"
                   : "+r"(x), "+r"(y) : "r"(a), "r"(b) : "cc");
    return x ^ (y << 8);
}

static int32_t clamp(int32_t v, int32_t low, int32_t high)
{
    return v < low ? low : v > high ? high : v;
}

static uint32_t branch_free(int32_t a, int32_t b)
{
    int32_t mn = a < b ? a : b, mx = a > b ? a : b;
    int32_t absolute = a < 0 ? -a : a;
    uint32_t umin = (uint32_t)a < (uint32_t)b ? (uint32_t)a : (uint32_t)b;
    int32_t sign = (a > 0) - (a < 0);
    int32_t selected = (a & 1) ? b + 3 : b - 3;
    return (uint32_t)mn * 3u ^ (uint32_t)mx * 5u ^ (uint32_t)absolute * 7u ^ umin * 11u ^ (uint32_t)sign * 13u ^
           (uint32_t)selected * 17u ^ (uint32_t)clamp(a, -50, 50) * 19u;
}

int main(void)
{
    const unsigned count = sizeof values / sizeof values[0];
    for (unsigned i = 0; i < count; i++) {
        for (unsigned j = 0; j < count; j++) {
            uint32_t mask = 0;
            for (unsigned c = 0; c < sizeof tests / sizeof tests[0]; c++) {
                mask |= tests[c](values[i], values[j]) << c;
            }
            printf("cmp %11ld,%11ld: conditions %04lx arms %04lx free %08lx\n", (long)values[i], (long)values[j],
                   (unsigned long)mask, (unsigned long)four_arms(values[i], values[j]),
                   (unsigned long)branch_free(values[i], values[j]));
        }
    }
    int32_t histogram[5] = { 0 };
    uint32_t seed = 7;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1664525u + 1013904223u;
        int32_t v = (int32_t)(seed >> 20) - 2048;
        histogram[v < -1000 ? 0 : v < 0 ? 1 : v == 0 ? 2 : v < 1000 ? 3 : 4]++;
    }
    printf("histogram %ld %ld %ld %ld %ld\n", (long)histogram[0], (long)histogram[1], (long)histogram[2],
           (long)histogram[3], (long)histogram[4]);
    return 47;
}
