/*
 * Exclusive access: LDREX/STREX pairs of each size succeed, a STREX after CLREX or without a
 * preceding LDREX fails, an exception between LDREX and STREX clears the local monitor (ARMv7-M
 * exception entry and return do), and C11 atomics built on these loops give exact results.
 */
#include <stdatomic.h>
#include "diff.h"

static volatile uint32_t word = 100;
static volatile uint16_t half = 7;
static volatile uint8_t byte = 3;

void SVC_Handler(void) {}

static uint32_t load_exclusive(volatile uint32_t *address)
{
    uint32_t value;
    __asm volatile("ldrex %0, [%1]" : "=r"(value) : "r"(address) : "memory");
    return value;
}

static uint32_t store_exclusive(volatile uint32_t *address, uint32_t value)
{
    uint32_t failed;
    __asm volatile("strex %0, %2, [%1]" : "=&r"(failed) : "r"(address), "r"(value) : "memory");
    return failed;
}

int main(void)
{
    uint32_t value = load_exclusive(&word);
    uint32_t failed = store_exclusive(&word, value + 1);
    printf("ldrex/strex: status %lu, word %lu\n", (unsigned long)failed, (unsigned long)word);

    value = load_exclusive(&word);
    __asm volatile("clrex" ::: "memory");
    failed = store_exclusive(&word, value + 1);
    printf("after clrex: status %lu, word %lu\n", (unsigned long)failed, (unsigned long)word);

    failed = store_exclusive(&word, 5);
    printf("strex alone: status %lu, word %lu\n", (unsigned long)failed, (unsigned long)word);

    uint32_t h, hs, b, bs;
    __asm volatile("ldrexh %0, [%2]\n\tadd %0, %0, #10\n\tstrexh %1, %0, [%2]" : "=&r"(h), "=&r"(hs) : "r"(&half) : "memory");
    __asm volatile("ldrexb %0, [%2]\n\tadd %0, %0, #250\n\tstrexb %1, %0, [%2]" : "=&r"(b), "=&r"(bs) : "r"(&byte) : "memory");
    printf("halfword: status %lu value %u; byte: status %lu value %u\n", (unsigned long)hs, half, (unsigned long)bs, byte);

    value = load_exclusive(&word);
    __asm volatile("svc #0" ::: "memory");
    failed = store_exclusive(&word, value + 1);
    printf("exception in between: status %lu, word %lu\n", (unsigned long)failed, (unsigned long)word);

    static atomic_uint counter;
    for (unsigned i = 0; i < 1000; i++) {
        atomic_fetch_add(&counter, i);
    }
    unsigned expected = 499500;
    int swapped = atomic_compare_exchange_strong(&counter, &expected, 1u);
    unsigned stale = 5;
    int swapped_again = atomic_compare_exchange_strong(&counter, &stale, 2u);
    printf("atomics: swapped %d then %d (saw %u), counter %u\n", swapped, swapped_again, stale, atomic_load(&counter));
    static atomic_ushort small = 65530;
    for (int i = 0; i < 10; i++) {
        atomic_fetch_add(&small, 1);
    }
    printf("16-bit atomic wraps to %u\n", (unsigned)atomic_load(&small));
    return 43;
}
