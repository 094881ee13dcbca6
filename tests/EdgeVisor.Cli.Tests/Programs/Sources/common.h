/* Shared helpers for the differential test programs: deterministic output only (no addresses, pids, times). */
#ifndef EDGEVISOR_TEST_COMMON_H
#define EDGEVISOR_TEST_COMMON_H
#include <stdint.h>
#include <stdio.h>

/* A fixed pseudo-random sequence (xorshift64*), so runs are reproducible. */
static inline uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* FNV-1a over bytes: one line of output summarises a large result. */
static inline uint64_t fnv1a(const void *data, size_t length, uint64_t hash)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < length; i++) {
        hash ^= p[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

#define FNV_START 0xcbf29ce484222325ULL
#endif
