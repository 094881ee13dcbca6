/*
 * The PMSAv7 MPU (8 regions on the M3/M4): MPU_TYPE, a privileged-only region that thread code in
 * unprivileged mode may not touch, a read-only region, and an execute-never region. Each violation
 * is a MemManage fault whose handler prints CFSR/MMFAR and steps over the access.
 *
 * PRIVDEFENA gives privileged code the default map; unprivileged code needs regions of its own, so
 * regions 0 and 1 open the code and SRAM areas to everyone and regions 2-4 (a higher region number
 * wins where regions overlap) carve out the protected pieces.
 */
#include "diff.h"

#define MPU_TYPE REG32(0xE000ED90u)
#define MPU_CTRL REG32(0xE000ED94u)
#define MPU_RNR REG32(0xE000ED98u)
#define MPU_RBAR REG32(0xE000ED9Cu)
#define MPU_RASR REG32(0xE000EDA0u)
#define MPU_CTRL_ENABLE (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)

/* RASR: XN bit 28, AP bits 26:24, size field bits 5:1 (region is 2^(size+1) bytes), enable bit 0. */
#define RASR(xn, ap, size_log2) (((uint32_t)(xn) << 28) | ((uint32_t)(ap) << 24) | (((size_log2) - 1u) << 1) | 1u)
#define AP_NO_ACCESS 0u
#define AP_PRIV_RW 1u
#define AP_FULL_ACCESS 3u
#define AP_READ_ONLY 6u

static volatile uint32_t protected_words[64] __attribute__((aligned(256)));
static volatile uint32_t readonly_words[64] __attribute__((aligned(256)));
static volatile uint16_t no_execute_code[64] __attribute__((aligned(256)));
static volatile unsigned faults;

static void skip_instruction(exception_frame_t *frame)
{
    uint16_t first = *(const uint16_t *)frame->pc;
    frame->pc += (first >> 11) >= 0x1D ? 4u : 2u;
}

void mem_manage(exception_frame_t *frame)
{
    uint32_t cfsr = SCB_CFSR;
    if (++faults > 5) {
        printf("too many MemManage faults, CFSR = 0x%08lx\n", (unsigned long)cfsr);
        semihost_exit(98);
    }
    printf("MemManage %u: CFSR = 0x%08lx", faults, (unsigned long)cfsr);
    if (cfsr & 0x80u) {
        printf(", MMFAR = region+0x%lx", (unsigned long)(SCB_MMFAR & 0xFFu));
    }
    printf("\n");
    SCB_CFSR = cfsr;
    if (cfsr & 0x01u) { /* IACCVIOL: return to the caller instead of the forbidden code */
        frame->pc = frame->lr & ~1u;
    } else {
        skip_instruction(frame);
    }
}
HANDLER_WITH_FRAME(MemManage_Handler, mem_manage)

/* SVC 0 switches thread mode back to privileged (CONTROL.nPRIV = 0). */
void SVC_Handler(void)
{
    __asm volatile("mrs r0, control\n\tbic r0, r0, #1\n\tmsr control, r0\n\tisb" ::: "r0", "memory");
}

static void set_region(uint32_t number, const volatile void *base, uint32_t rasr)
{
    MPU_RNR = number;
    MPU_RBAR = (uint32_t)base;
    MPU_RASR = rasr;
}

int main(void)
{
    printf("MPU_TYPE = 0x%08lx\n", (unsigned long)MPU_TYPE);
    SCB_SHCSR |= SHCSR_MEMFAULTENA;

    set_region(0, (const void *)0x00000000u, RASR(0, AP_FULL_ACCESS, 22));
    set_region(1, (const void *)0x20000000u, RASR(0, AP_FULL_ACCESS, 22));
    set_region(2, protected_words, RASR(1, AP_PRIV_RW, 8));
    set_region(3, readonly_words, RASR(1, AP_READ_ONLY, 8));
    set_region(4, no_execute_code, RASR(1, AP_FULL_ACCESS, 8));
    MPU_RNR = 3;
    printf("region 3 RBAR low bits = 0x%lx, RASR = 0x%08lx\n", (unsigned long)(MPU_RBAR & 0x1Fu), (unsigned long)MPU_RASR);
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    barrier();

    protected_words[1] = 0x1234; /* privileged: allowed */
    readonly_words[2] = readonly_words[3] + 1; /* write to read-only: fault */
    printf("read-only word = %lu\n", (unsigned long)readonly_words[2]);

    __asm volatile("mrs r0, control\n\torr r0, r0, #1\n\tmsr control, r0\n\tisb" ::: "r0", "memory");
    volatile uint32_t seen = protected_words[1]; /* unprivileged read of a privileged region: fault */
    (void)seen;
    __asm volatile("svc #0" ::: "memory");
    printf("privileged again, faults = %u\n", faults);

    no_execute_code[0] = 0x4770; /* bx lr */
    barrier();
    ((void (*)(void))((uint32_t)no_execute_code | 1u))(); /* execute-never: fault on fetch */
    printf("returned from XN call, faults = %u\n", faults);

    MPU_CTRL = 0;
    barrier();
    readonly_words[2] = 7;
    printf("MPU off, write lands: %lu\n", (unsigned long)readonly_words[2]);
    return faults == 3 ? 43 : 44;
}
