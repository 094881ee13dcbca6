/*
 * A compute-heavy mix in the spirit of CoreMark (list processing, matrix arithmetic, a state machine, CRC), used
 * by the differential tests with a small count and by bench/ with a large one. Usage: compute [iterations]
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#define MATRIX 24
#define LIST 256

struct node { struct node *next; int32_t value; uint16_t index; };

static uint16_t crc16(uint16_t crc, uint8_t byte)
{
    for (int i = 0; i < 8; i++) {
        int carry = (crc ^ byte) & 1;
        crc >>= 1;
        byte >>= 1;
        if (carry) crc ^= 0xA001;
    }
    return crc;
}

static uint32_t matrix_round(int32_t a[MATRIX][MATRIX], int32_t b[MATRIX][MATRIX], int32_t c[MATRIX][MATRIX], int32_t k)
{
    uint32_t sum = 0;
    for (int i = 0; i < MATRIX; i++)
        for (int j = 0; j < MATRIX; j++) {
            int32_t acc = 0;
            for (int x = 0; x < MATRIX; x++) acc += a[i][x] * b[x][j];
            c[i][j] = acc + k;
            sum += (uint32_t)(acc >> 2) ^ (uint32_t)c[i][j];
        }
    return sum;
}

static uint32_t state_machine(const char *text)
{
    enum { START, INT, FLOAT, EXP, BAD } state = START;
    uint32_t transitions = 0;
    for (const char *p = text; *p; p++) {
        int before = state;
        char ch = *p;
        if (ch == ',') { state = START; continue; }
        switch (state) {
        case START: state = (ch >= '0' && ch <= '9') || ch == '-' ? INT : ch == '.' ? FLOAT : BAD; break;
        case INT: state = ch == '.' ? FLOAT : ch == 'e' ? EXP : (ch >= '0' && ch <= '9') ? INT : BAD; break;
        case FLOAT: state = ch == 'e' ? EXP : (ch >= '0' && ch <= '9') ? FLOAT : BAD; break;
        case EXP: state = (ch >= '0' && ch <= '9') || ch == '-' ? EXP : BAD; break;
        default: break;
        }
        transitions += before != (int)state;
    }
    return transitions;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 20;
    static int32_t a[MATRIX][MATRIX], b[MATRIX][MATRIX], c[MATRIX][MATRIX];
    static struct node nodes[LIST];
    uint64_t seed = 2024;
    for (int i = 0; i < MATRIX; i++)
        for (int j = 0; j < MATRIX; j++) { a[i][j] = (int32_t)(next_random(&seed) % 200) - 100; b[i][j] = (int32_t)(next_random(&seed) % 50); }
    char text[512];
    size_t used = 0;
    while (used < sizeof text - 12) {
        int n = snprintf(text + used, sizeof text - used, "%d.%de%d,", (int)(next_random(&seed) % 900), (int)(next_random(&seed) % 99), (int)(next_random(&seed) % 9));
        used += (size_t)n;
    }

    uint16_t crc = 0;
    uint32_t total = 0;
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < LIST; i++) {
            nodes[i].value = (int32_t)((i * 7919 + it) % 1000);
            nodes[i].index = (uint16_t)i;
            nodes[i].next = i + 1 < LIST ? &nodes[i + 1] : NULL;
        }
        struct node *head = &nodes[0], *reversed = NULL;
        while (head) { struct node *next = head->next; head->next = reversed; reversed = head; head = next; }
        int32_t best = -1;
        for (struct node *n = reversed; n; n = n->next) {
            if (n->value > best) best = n->value;
            crc = crc16(crc, (uint8_t)n->value);
        }
        total += (uint32_t)best + matrix_round(a, b, c, (int32_t)it) + state_machine(text);
        crc = crc16(crc, (uint8_t)total);
    }
    printf("compute iterations=%ld total=%08" PRIx32 " crc=%04x\n", iterations, total, crc);
    return 0;
}
