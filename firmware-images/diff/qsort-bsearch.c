/* qsort and bsearch from newlib over integers, strings and structures, with a stable tie-break. */
#include <stdlib.h>
#include <string.h>
#include "diff.h"

typedef struct {
    const char *name;
    int score;
    int order;
} entry_t;

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_score_then_order(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    if (x->score != y->score) {
        return y->score - x->score;
    }
    return x->order - y->order;
}

int main(void)
{
    int numbers[200];
    uint32_t state = 12345;
    for (int i = 0; i < 200; i++) {
        state = state * 1103515245u + 12345u;
        numbers[i] = (int)(state >> 16 & 0x7FFF) - 16384;
    }
    qsort(numbers, 200, sizeof numbers[0], by_int);
    int sorted = 1;
    for (int i = 1; i < 200; i++) {
        sorted &= numbers[i - 1] <= numbers[i];
    }
    printf("ints sorted %d, min %d, median %d, max %d\n", sorted, numbers[0], numbers[100], numbers[199]);
    int key = numbers[137];
    int *found = bsearch(&key, numbers, 200, sizeof numbers[0], by_int);
    printf("bsearch %d found value %d\n", key, found != NULL ? *found : 0);
    key = 99999;
    printf("bsearch missing = %s\n", bsearch(&key, numbers, 200, sizeof numbers[0], by_int) == NULL ? "null" : "found");

    const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "apricot" };
    qsort(words, 9, sizeof words[0], by_string);
    for (int i = 0; i < 9; i++) {
        printf("%s%s", words[i], i < 8 ? " " : "\n");
    }

    entry_t entries[] = { { "a", 3, 0 }, { "b", 5, 1 }, { "c", 3, 2 }, { "d", 9, 3 }, { "e", 5, 4 }, { "f", 1, 5 } };
    qsort(entries, 6, sizeof entries[0], by_score_then_order);
    for (int i = 0; i < 6; i++) {
        printf("%s:%d ", entries[i].name, entries[i].score);
    }
    printf("\n");
    return 35;
}
