/*
 * Compute-heavy benchmark workload: each iteration sorts a linked list (merge sort), multiplies
 * two integer matrices, runs a bitwise CRC-32 over a buffer and drives a small tokenizer state
 * machine over generated text. Every stage folds its result into a running checksum, so a wrong
 * instruction anywhere changes the printed value.
 *
 * Usage (semihosting command line): bench-compute [iterations]   (default 60000, about 1.5 s under qemu-system-arm 7.2)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef BENCH_DEFAULT_ITERATIONS
#define BENCH_DEFAULT_ITERATIONS 60000
#endif

#define LIST_LENGTH 64
#define MATRIX_SIZE 10
#define BUFFER_SIZE 256

typedef struct node {
    struct node *next;
    int32_t key;
} node_t;

static node_t nodes[LIST_LENGTH];
static int16_t matrix_a[MATRIX_SIZE][MATRIX_SIZE], matrix_b[MATRIX_SIZE][MATRIX_SIZE];
static int32_t matrix_c[MATRIX_SIZE][MATRIX_SIZE];
static uint8_t buffer[BUFFER_SIZE];

/* A small linear congruential generator: deterministic data without libc's rand(). */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static node_t *build_list(uint32_t seed)
{
    for (int i = 0; i < LIST_LENGTH; i++) {
        nodes[i].key = (int32_t)(next_random(&seed) % 10000u) - 5000;
        nodes[i].next = i + 1 < LIST_LENGTH ? &nodes[i + 1] : NULL;
    }
    return &nodes[0];
}

static node_t *merge(node_t *a, node_t *b)
{
    node_t head = { NULL, 0 };
    node_t *tail = &head;
    while (a != NULL && b != NULL) {
        if (a->key <= b->key) {
            tail->next = a;
            a = a->next;
        } else {
            tail->next = b;
            b = b->next;
        }
        tail = tail->next;
    }
    tail->next = a != NULL ? a : b;
    return head.next;
}

static node_t *sort_list(node_t *list)
{
    if (list == NULL || list->next == NULL) {
        return list;
    }
    node_t *slow = list, *fast = list->next;
    while (fast != NULL && fast->next != NULL) {
        slow = slow->next;
        fast = fast->next->next;
    }
    node_t *second = slow->next;
    slow->next = NULL;
    return merge(sort_list(list), sort_list(second));
}

static uint32_t list_stage(uint32_t seed)
{
    uint32_t sum = 0;
    int position = 0;
    for (node_t *n = sort_list(build_list(seed)); n != NULL; n = n->next) {
        sum = sum * 31u + (uint32_t)n->key * (uint32_t)++position;
    }
    return sum;
}

static uint32_t matrix_stage(uint32_t seed)
{
    for (int i = 0; i < MATRIX_SIZE; i++) {
        for (int j = 0; j < MATRIX_SIZE; j++) {
            matrix_a[i][j] = (int16_t)(next_random(&seed) & 0xFF) - 128;
            matrix_b[i][j] = (int16_t)(next_random(&seed) & 0x7F);
        }
    }
    uint32_t sum = 0;
    for (int i = 0; i < MATRIX_SIZE; i++) {
        for (int j = 0; j < MATRIX_SIZE; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MATRIX_SIZE; k++) {
                acc += matrix_a[i][k] * matrix_b[k][j];
            }
            matrix_c[i][j] = acc;
            sum += (uint32_t)acc ^ (uint32_t)(i * MATRIX_SIZE + j);
        }
    }
    return sum;
}

static uint32_t crc_stage(uint32_t seed)
{
    for (int i = 0; i < BUFFER_SIZE; i++) {
        buffer[i] = (uint8_t)next_random(&seed);
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < BUFFER_SIZE; i++) {
        crc ^= buffer[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

/* Tokenizer states for text made of numbers, words and separators. */
typedef enum { STATE_START, STATE_NUMBER, STATE_WORD, STATE_SEPARATOR, STATE_COUNT } state_t;

static uint32_t state_stage(uint32_t seed)
{
    static const char alphabet[] = "0123456789abcxyz ,;.";
    uint32_t transitions[STATE_COUNT] = { 0 };
    uint32_t number_value = 0, number_sum = 0;
    state_t state = STATE_START;
    for (int i = 0; i < BUFFER_SIZE; i++) {
        char c = alphabet[next_random(&seed) % (sizeof alphabet - 1)];
        state_t next;
        if (c >= '0' && c <= '9') {
            next = STATE_NUMBER;
            number_value = (state == STATE_NUMBER ? number_value * 10u : 0u) + (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'z') {
            next = STATE_WORD;
        } else {
            next = STATE_SEPARATOR;
        }
        if (state == STATE_NUMBER && next != STATE_NUMBER) {
            number_sum += number_value;
        }
        if (next != state) {
            transitions[next]++;
        }
        state = next;
    }
    return number_sum ^ (transitions[STATE_NUMBER] << 8) ^ (transitions[STATE_WORD] << 16)
        ^ (transitions[STATE_SEPARATOR] << 24);
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? strtol(argv[1], NULL, 0) : BENCH_DEFAULT_ITERATIONS;
    if (iterations <= 0) {
        printf("bench-compute: iterations must be a positive number\n");
        return 2;
    }
    uint32_t checksum = 0;
    for (long i = 0; i < iterations; i++) {
        uint32_t seed = (uint32_t)i * 2654435761u;
        checksum = (checksum << 5 | checksum >> 27) ^ list_stage(seed);
        checksum ^= matrix_stage(seed + 1u);
        checksum = (checksum << 3 | checksum >> 29) ^ crc_stage(seed + 2u);
        checksum += state_stage(seed + 3u);
    }
    printf("bench-compute on " BOARD_NAME ": %ld iterations, checksum 0x%08lx\n", iterations, (unsigned long)checksum);
    return 0;
}
