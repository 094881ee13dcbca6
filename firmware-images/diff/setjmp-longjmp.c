/* setjmp/longjmp: nested jumps out of recursion, the value passed through, callee-saved registers restored. */
#include <setjmp.h>
#include "diff.h"

/* recurse() ends in longjmp on every path, which GCC reports as endless recursion. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

static jmp_buf outer, inner;
static volatile int depth_reached;

static void recurse(int depth, jmp_buf target)
{
    depth_reached = depth;
    if (depth < 20) {
        recurse(depth + 1, target);
        printf("not reached\n");
    }
    longjmp(target, depth * 3);
}

static int jump_with_zero(void)
{
    jmp_buf buffer;
    int value = setjmp(buffer);
    if (value == 0) {
        longjmp(buffer, 0); /* longjmp(…, 0) makes setjmp return 1 */
    }
    return value;
}

int main(void)
{
    volatile int rounds = 0;
    register int kept = 1234; /* callee-saved register contents survive longjmp as of the setjmp */
    int value = setjmp(outer);
    rounds++;
    printf("setjmp returned %d (round %d, kept %d)\n", value, rounds, kept);
    if (value == 0) {
        int nested = setjmp(inner);
        if (nested == 0) {
            recurse(0, inner);
        }
        printf("inner landed with %d after depth %d\n", nested, depth_reached);
        longjmp(outer, 7);
    }
    printf("longjmp(buf, 0) gives %d\n", jump_with_zero());
    return value + 30;
}
