/* glibc's string and memory routines (SIMD-optimised ifunc variants) at every alignment and length. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

int main(void)
{
    static char src[1200], dst[1200];
    uint64_t seed = 99, h = FNV_START;
    for (int i = 0; i < 1200; i++) src[i] = (char)('A' + next_random(&seed) % 50);
    for (int align = 0; align < 16; align++) {
        for (int len = 0; len < 300; len += 7) {
            memset(dst, 0, sizeof dst);
            memcpy(dst + align, src + (15 - align), (size_t)len);
            h = fnv1a(dst, 400, h);
            dst[align + len] = 0;
            h ^= strlen(dst + align);
            h ^= (uint64_t)(memcmp(dst + align, src + 15 - align, (size_t)len) == 0);
            char *hit = strchr(dst + align, 'Z');
            h ^= hit ? (uint64_t)(hit - dst) : 0xFFFF;
            char *mem = memchr(src + align, 'q', (size_t)len);
            h ^= mem ? (uint64_t)(mem - src) << 8 : 0xABCD;
            h *= 31;
            h ^= (uint64_t)(strncmp(src + align, src + align + 1, (size_t)len % 20) + 128);
        }
    }
    memmove(src + 1, src, 1000);
    memmove(src, src + 3, 900);
    h = fnv1a(src, sizeof src, h);
    char *dup = strdup("edgevisor aarch64 strings");
    printf("strings %016" PRIx64 " %s %s %zu\n", h, strstr(dup, "aarch64"), strrchr(dup, ' '), strspn(dup, "edgvisor"));
    free(dup);
    return 0;
}
