/*
 * Bit manipulation: CLZ, RBIT, REV/REV16/REVSH, UBFX/SBFX, BFI/BFC, SSAT/USAT, population count and
 * trailing zeros; on mps2-an386 also the DSP (ARMv7E-M) SIMD and saturating instructions.
 */
#include "diff.h"

static volatile uint32_t inputs[] = { 0, 1, 0x80000000u, 0x12345678u, 0xFFFFFFFFu, 0x00F0F000u, 0x8000FFFFu, 0x7FFF8001u };

#define OP1(name, insn)                                                                                              \
    static uint32_t name(uint32_t x)                                                                                 \
    {                                                                                                                \
        uint32_t r;                                                                                                  \
        __asm volatile(insn " %0, %1" : "=r"(r) : "r"(x));                                                           \
        return r;                                                                                                    \
    }
OP1(op_clz, "clz")
OP1(op_rbit, "rbit")
OP1(op_rev, "rev")
OP1(op_rev16, "rev16")
OP1(op_revsh, "revsh")

static uint32_t read_apsr(void)
{
    uint32_t value;
    __asm volatile("mrs %0, apsr" : "=r"(value));
    return value;
}

static void clear_q(void)
{
    __asm volatile("msr apsr_nzcvq, %0" ::"r"(0u));
}

int main(void)
{
    const unsigned count = sizeof inputs / sizeof inputs[0];
    for (unsigned i = 0; i < count; i++) {
        uint32_t x = inputs[i];
        printf("%08lx: clz %2lu rbit %08lx rev %08lx rev16 %08lx revsh %08lx pop %2d ctz %2d\n", (unsigned long)x,
               (unsigned long)op_clz(x), (unsigned long)op_rbit(x), (unsigned long)op_rev(x), (unsigned long)op_rev16(x),
               (unsigned long)op_revsh(x), __builtin_popcount(x), x != 0 ? __builtin_ctz(x) : 32);
    }
    for (unsigned i = 0; i < count; i++) {
        uint32_t x = inputs[i], ubfx, sbfx, bfi = 0xAAAAAAAAu, bfc = x;
        __asm volatile("ubfx %0, %1, #4, #12" : "=r"(ubfx) : "r"(x));
        __asm volatile("sbfx %0, %1, #20, #9" : "=r"(sbfx) : "r"(x));
        __asm volatile("bfi %0, %1, #8, #10" : "+r"(bfi) : "r"(x));
        __asm volatile("bfc %0, #3, #17" : "+r"(bfc));
        printf("%08lx: ubfx %08lx sbfx %08lx bfi %08lx bfc %08lx\n", (unsigned long)x, (unsigned long)ubfx,
               (unsigned long)sbfx, (unsigned long)bfi, (unsigned long)bfc);
    }
    static const int32_t saturate_inputs[] = { 0, 127, 128, -128, -129, 100000, -100000, 0x7FFFFFFF };
    for (unsigned i = 0; i < 8; i++) {
        int32_t ssat, usat;
        clear_q();
        __asm volatile("ssat %0, #8, %1" : "=r"(ssat) : "r"(saturate_inputs[i]));
        uint32_t q_after_ssat = read_apsr() >> 27 & 1u;
        clear_q();
        __asm volatile("usat %0, #8, %1, lsl #1" : "=r"(usat) : "r"(saturate_inputs[i]));
        uint32_t q_after_usat = read_apsr() >> 27 & 1u;
        printf("sat %ld: ssat8 %ld (Q%lu) usat8(x<<1) %ld (Q%lu)\n", (long)saturate_inputs[i], (long)ssat,
               (unsigned long)q_after_ssat, (long)usat, (unsigned long)q_after_usat);
    }
#if defined(__ARM_FEATURE_DSP)
    for (unsigned i = 0; i + 1 < count; i++) {
        uint32_t a = inputs[i], b = inputs[i + 1], sadd16, uqadd8, qsub, smlad, sel, usad8, ge;
        clear_q();
        __asm volatile("sadd16 %0, %1, %2" : "=r"(sadd16) : "r"(a), "r"(b));
        ge = read_apsr() >> 16 & 0xFu;
        __asm volatile("uqadd8 %0, %1, %2" : "=r"(uqadd8) : "r"(a), "r"(b));
        __asm volatile("qsub %0, %1, %2" : "=r"(qsub) : "r"(a), "r"(b));
        __asm volatile("smlad %0, %1, %2, %3" : "=r"(smlad) : "r"(a), "r"(b), "r"(0x1000u));
        __asm volatile("usub8 %0, %1, %2\n\tsel %0, %1, %2" : "=&r"(sel) : "r"(a), "r"(b));
        __asm volatile("usad8 %0, %1, %2" : "=r"(usad8) : "r"(a), "r"(b));
        printf("dsp %08lx,%08lx: sadd16 %08lx GE%lx uqadd8 %08lx qsub %08lx smlad %08lx sel %08lx usad8 %lu Q%lu\n",
               (unsigned long)a, (unsigned long)b, (unsigned long)sadd16, (unsigned long)ge, (unsigned long)uqadd8,
               (unsigned long)qsub, (unsigned long)smlad, (unsigned long)sel, (unsigned long)usad8,
               (unsigned long)(read_apsr() >> 27 & 1u));
    }
    return 41;
#else
    printf("no DSP extension on " BOARD_NAME "\n");
    return 40;
#endif
}
