/*
 * malloc, calloc, realloc and free: blocks of many sizes are filled with patterns, resized (data must
 * survive), freed in a scrambled order and reallocated. Only contents and sizes are printed, never
 * addresses, so the output does not depend on where the host puts the heap.
 */
#include <stdlib.h>
#include <string.h>
#include "diff.h"

#define BLOCKS 48

static uint32_t checksum(const uint8_t *data, size_t size)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < size; i++) {
        sum = (sum << 1 | sum >> 31) ^ data[i];
    }
    return sum;
}

int main(void)
{
    uint8_t *blocks[BLOCKS];
    size_t sizes[BLOCKS];
    uint32_t total = 0;
    for (int i = 0; i < BLOCKS; i++) {
        sizes[i] = (size_t)(i * 37 % 500 + 1);
        blocks[i] = malloc(sizes[i]);
        if (blocks[i] == NULL) {
            printf("malloc %d failed\n", i);
            return 1;
        }
        memset(blocks[i], i + 1, sizes[i]);
    }
    for (int i = 0; i < BLOCKS; i += 3) {
        size_t bigger = sizes[i] * 3 + 100;
        uint8_t *moved = realloc(blocks[i], bigger);
        if (moved == NULL) {
            return 2;
        }
        int preserved = 1;
        for (size_t k = 0; k < sizes[i]; k++) {
            preserved &= moved[k] == (uint8_t)(i + 1);
        }
        memset(moved + sizes[i], 0xEE, bigger - sizes[i]);
        blocks[i] = moved;
        sizes[i] = bigger;
        if (!preserved) {
            printf("realloc %d lost data\n", i);
        }
    }
    for (int i = 0; i < BLOCKS; i++) {
        total += checksum(blocks[i], sizes[i]);
    }
    printf("checksum after realloc = %08lx\n", (unsigned long)total);

    for (int step = 0; step < BLOCKS; step++) {
        int i = step * 7 % BLOCKS; /* 7 is coprime with 48: every block exactly once */
        free(blocks[i]);
        blocks[i] = NULL;
    }
    uint32_t *zeroed = calloc(1000, sizeof *zeroed);
    uint32_t nonzero = 0;
    for (int i = 0; i < 1000; i++) {
        nonzero += zeroed[i] != 0;
    }
    printf("calloc nonzero words = %lu\n", (unsigned long)nonzero);
    free(zeroed);

    char *text = malloc(16);
    strcpy(text, "grow");
    for (int i = 0; i < 6; i++) {
        text = realloc(text, strlen(text) * 2 + 1);
        strcat(text, i % 2 != 0 ? "+" : "-");
        strcat(text, "x");
    }
    printf("text = %s (%u)\n", text, (unsigned)strlen(text));
    free(text);
    printf("malloc(0) then free ok\n");
    free(malloc(0));
    return 33;
}
