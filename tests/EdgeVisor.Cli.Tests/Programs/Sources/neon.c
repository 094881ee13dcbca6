/* Advanced SIMD through the arm_neon.h intrinsics: arithmetic, saturation, permutes, table lookups, conversions. */
#include <arm_neon.h>
#include <inttypes.h>
#include "common.h"

static uint64_t h = FNV_START;
#define MIX(v) (h = fnv1a(&(v), sizeof(v), h))

int main(void)
{
    uint64_t seed = 4242;
    uint8_t buf[64];
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 64; i++) buf[i] = (uint8_t)next_random(&seed);
        uint8x16_t u8a = vld1q_u8(buf), u8b = vld1q_u8(buf + 16);
        int16x8_t s16a = vreinterpretq_s16_u8(vld1q_u8(buf + 32)), s16b = vreinterpretq_s16_u8(vld1q_u8(buf + 48));
        int32x4_t s32a = vreinterpretq_s32_u8(u8a), s32b = vreinterpretq_s32_u8(u8b);
        float32x4_t fa = vcvtq_f32_s32(vshrq_n_s32(s32a, 8)), fb = vcvtq_f32_s32(vshrq_n_s32(s32b, 12));

        uint8x16_t r1 = vqaddq_u8(u8a, u8b); MIX(r1);
        int16x8_t r2 = vqsubq_s16(s16a, s16b); MIX(r2);
        int16x8_t r3 = vqdmulhq_s16(s16a, s16b); MIX(r3);
        int32x4_t r4 = vmlal_s16(s32a, vget_low_s16(s16a), vget_high_s16(s16b)); MIX(r4);
        uint8x16_t r5 = vqtbl1q_u8(u8a, vandq_u8(u8b, vdupq_n_u8(31))); MIX(r5);
        uint8x16x2_t r6 = vzipq_u8(u8a, u8b); MIX(r6);
        uint8x16x2_t r7 = vuzpq_u8(u8a, u8b); MIX(r7);
        uint8x16_t r8 = vextq_u8(u8a, u8b, 5); MIX(r8);
        uint8x16_t r9 = vcntq_u8(u8a); MIX(r9);
        uint8x16_t r10 = vrev64q_u8(u8b); MIX(r10);
        uint32_t r11 = vaddvq_u8(u8a) + vmaxvq_u8(u8b) + vminvq_u8(u8a); MIX(r11);
        int8x8_t r12 = vqmovn_s16(s16a); MIX(r12);
        uint16x8_t r13 = vabdl_u8(vget_low_u8(u8a), vget_high_u8(u8b)); MIX(r13);
        float32x4_t r14 = vfmaq_f32(fa, fb, vdupq_n_f32(0.375f)); MIX(r14);
        float32x4_t r15 = vdivq_f32(fa, vaddq_f32(vabsq_f32(fb), vdupq_n_f32(1.0f))); MIX(r15);
        int32x4_t r16 = vcvtq_s32_f32(vmulq_f32(fa, fb)); MIX(r16);
        uint32x4_t r17 = vcgtq_f32(fa, fb); MIX(r17);
        float32x4_t r18 = vsqrtq_f32(vabsq_f32(fa)); MIX(r18);
        float32_t r19 = vmaxvq_f32(fa) + vminnmvq_f32(fb); MIX(r19);
        int16x8_t r20 = vrshrq_n_s16(s16a, 3); MIX(r20);
        uint16x8_t r21 = vshll_n_u8(vget_low_u8(u8a), 4); MIX(r21);
        uint8x8_t r22 = vqrshrn_n_u16(vreinterpretq_u16_u8(u8b), 5); MIX(r22);
        int32x4_t r23 = vqdmlal_lane_s16(s32b, vget_low_s16(s16a), vget_low_s16(s16b), 2); MIX(r23);
        float64x2_t r24 = vmulq_laneq_f64(vcvtq_f64_s64(vreinterpretq_s64_u8(u8a)), vcvtq_f64_s64(vreinterpretq_s64_u8(u8b)), 1); MIX(r24);
        uint8x16_t r25 = vbslq_u8(u8a, u8b, vmvnq_u8(u8b)); MIX(r25);
        int64x2_t r26 = vpaddlq_s32(s32a); MIX(r26);
        uint8x16_t r27 = vqtbl2q_u8((uint8x16x2_t){ { u8a, u8b } }, vandq_u8(u8a, vdupq_n_u8(63))); MIX(r27);
        int32x4_t r28 = vsliq_n_s32(s32a, s32b, 7); MIX(r28);
        uint16x4_t r29 = vpadd_u16(vreinterpret_u16_u8(vget_low_u8(u8a)), vreinterpret_u16_u8(vget_high_u8(u8b))); MIX(r29);
        float32x2_t r30 = vcvt_f32_f64(r24); MIX(r30);
    }
    printf("neon hash %016" PRIx64 "\n", h);
    return 0;
}
