/* The AES, SHA-1, SHA-256, PMULL and CRC32 instructions through ACLE intrinsics (built with +crypto+crc). */
#include <arm_acle.h>
#include <arm_neon.h>
#include <inttypes.h>
#include "common.h"

static uint64_t h = FNV_START;
#define MIX(v) (h = fnv1a(&(v), sizeof(v), h))

int main(void)
{
    uint64_t seed = 31337;
    uint8_t buf[64];
    uint32_t crc = 0xFFFFFFFF, crcc = 0;
    for (int round = 0; round < 300; round++) {
        for (int i = 0; i < 64; i++) buf[i] = (uint8_t)next_random(&seed);
        uint8x16_t data = vld1q_u8(buf), key = vld1q_u8(buf + 16);
        uint8x16_t e = vaesmcq_u8(vaeseq_u8(data, key)); MIX(e);
        uint8x16_t d = vaesimcq_u8(vaesdq_u8(e, key)); MIX(d);
        uint32x4_t abcd = vreinterpretq_u32_u8(vld1q_u8(buf + 32)), w = vreinterpretq_u32_u8(vld1q_u8(buf + 48));
        uint32_t e0 = (uint32_t)next_random(&seed);
        uint32x4_t s1c = vsha1cq_u32(abcd, e0, w); MIX(s1c);
        uint32x4_t s1p = vsha1pq_u32(abcd, e0, w); MIX(s1p);
        uint32x4_t s1m = vsha1mq_u32(abcd, e0, w); MIX(s1m);
        uint32_t s1h = vsha1h_u32(e0); MIX(s1h);
        uint32x4_t su0 = vsha1su0q_u32(abcd, w, s1c); MIX(su0);
        uint32x4_t su1 = vsha1su1q_u32(abcd, w); MIX(su1);
        uint32x4_t s2h = vsha256hq_u32(abcd, w, s1p); MIX(s2h);
        uint32x4_t s2h2 = vsha256h2q_u32(abcd, w, s1p); MIX(s2h2);
        uint32x4_t s2su0 = vsha256su0q_u32(abcd, w); MIX(s2su0);
        uint32x4_t s2su1 = vsha256su1q_u32(abcd, w, s1m); MIX(s2su1);
        poly128_t p = vmull_p64((poly64_t)next_random(&seed), (poly64_t)next_random(&seed)); MIX(p);
        poly16x8_t p8 = vmull_p8(vget_low_p8(vreinterpretq_p8_u8(data)), vget_high_p8(vreinterpretq_p8_u8(key))); MIX(p8);
        crc = __crc32d(crc, next_random(&seed));
        crc = __crc32b(crc, buf[round & 63]);
        crcc = __crc32cw(crcc, (uint32_t)next_random(&seed));
        crcc = __crc32ch(crcc, (uint16_t)round);
    }
    printf("crypto hash %016" PRIx64 " crc32=%08" PRIx32 " crc32c=%08" PRIx32 "\n", h, crc, crcc);
    return 0;
}
