/*
 * SVC and PendSV: the SVC handler reads its immediate from the stacked return address and returns a
 * value in the stacked R0; PendSV pended from inside SVC runs only after SVC returns (it has lower
 * priority), by tail-chaining, before thread code resumes. Prints the order of events and IPSR.
 */
#include "diff.h"

static volatile int log_position;
static char event_log[64];
static volatile uint32_t pendsv_ipsr;

static void log_event(char c)
{
    event_log[log_position++] = c;
    event_log[log_position] = '\0';
}

void svc_dispatch(exception_frame_t *frame)
{
    uint8_t number = *(const uint8_t *)(frame->pc - 2); /* the SVC instruction's imm8 */
    log_event((char)('0' + number));
    switch (number) {
    case 1:
        frame->r0 = frame->r0 + frame->r1;
        break;
    case 2:
        SCB_ICSR = ICSR_PENDSVSET;
        log_event('p'); /* still in SVC: PendSV must not have run yet */
        frame->r0 = read_ipsr();
        break;
    default:
        frame->r0 = 0xFFFFFFFFu;
        break;
    }
}
HANDLER_WITH_FRAME(SVC_Handler, svc_dispatch)

void PendSV_Handler(void)
{
    log_event('P');
    pendsv_ipsr = read_ipsr();
}

static uint32_t svc1(uint32_t a, uint32_t b)
{
    register uint32_t r0 __asm("r0") = a;
    register uint32_t r1 __asm("r1") = b;
    __asm volatile("svc #1" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static uint32_t svc2(void)
{
    register uint32_t r0 __asm("r0");
    __asm volatile("svc #2" : "=r"(r0) : : "memory");
    return r0;
}

static uint32_t svc7(void)
{
    register uint32_t r0 __asm("r0") = 0;
    __asm volatile("svc #7" : "+r"(r0) : : "memory");
    return r0;
}

int main(void)
{
    /* SVC priority 0x40 (higher) than PendSV 0xC0 (lower). */
    SCB_SHPR2 = 0x40u << 24;
    SCB_SHPR3 = (SCB_SHPR3 & 0xFF00FFFFu) | (0xC0u << 16);

    printf("svc 1: 20 + 22 = %lu\n", (unsigned long)svc1(20, 22));
    uint32_t ipsr_in_svc = svc2();
    log_event('T'); /* back in thread mode */
    printf("svc 2: IPSR in handler = %lu\n", (unsigned long)ipsr_in_svc);
    printf("svc 7: %08lx\n", (unsigned long)svc7());
    printf("order: %s\n", event_log);
    printf("thread IPSR = %lu, PendSV IPSR = %lu\n", (unsigned long)read_ipsr(), (unsigned long)pendsv_ipsr);

    /* PendSV pended from thread mode with PRIMASK set runs when PRIMASK clears. */
    log_position = 0;
    irq_disable();
    SCB_ICSR = ICSR_PENDSVSET;
    log_event('a');
    print_hex32("ICSR pending bits", SCB_ICSR & (ICSR_PENDSVSET | (0x1FFu << 12)));
    irq_enable();
    __asm volatile("isb");
    log_event('b');
    printf("order: %s\n", event_log);
    return 21;
}
