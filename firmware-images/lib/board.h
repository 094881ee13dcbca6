/*
 * Registers of the MPS2 AN385/AN386 FPGA images that the sample firmware uses, and the Cortex-M
 * system registers (SCB, NVIC, SysTick). Addresses and IRQ numbers follow QEMU 7.2's model of the
 * boards (hw/arm/mps2.c) and the CMSDK APB peripheral documentation.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stdint.h>

#ifndef BOARD_NAME
#error "BOARD_NAME must be defined (the Makefile passes -DBOARD_NAME=\"mps2-an385\" or similar)"
#endif

#define REG32(addr) (*(volatile uint32_t *)(addr))

/* The FPGA's peripheral clock, which drives the CMSDK timers and UART baud generator (and the core). */
#define SYSCLK_HZ 25000000u

/* CMSDK APB UART */
#define UART0_BASE 0x40004000u
#define UART_DATA(base) REG32((base) + 0x000)
#define UART_STATE(base) REG32((base) + 0x004)
#define UART_CTRL(base) REG32((base) + 0x008)
#define UART_INTSTATUS(base) REG32((base) + 0x00C)
#define UART_BAUDDIV(base) REG32((base) + 0x010)
#define UART_STATE_TXFULL (1u << 0)
#define UART_CTRL_TX_EN (1u << 0)

/* CMSDK APB timers (timer 0 raises IRQ 8, timer 1 IRQ 9; the dual timer raises IRQ 10) */
#define TIMER0_BASE 0x40000000u
#define TIMER1_BASE 0x40001000u
#define TIMER_CTRL(base) REG32((base) + 0x000)
#define TIMER_VALUE(base) REG32((base) + 0x004)
#define TIMER_RELOAD(base) REG32((base) + 0x008)
#define TIMER_INTCLEAR(base) REG32((base) + 0x00C)
#define TIMER_CTRL_ENABLE (1u << 0)
#define TIMER_CTRL_IRQ_ENABLE (1u << 3)
#define TIMER0_IRQn 8
#define TIMER1_IRQn 9
#define DUALTIMER_IRQn 10

/* System control block */
#define SCB_ICSR REG32(0xE000ED04u)
#define SCB_VTOR REG32(0xE000ED08u)
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_SCR REG32(0xE000ED10u)
#define SCB_CCR REG32(0xE000ED14u)
#define SCB_SHPR1 REG32(0xE000ED18u)
#define SCB_SHPR2 REG32(0xE000ED1Cu)
#define SCB_SHPR3 REG32(0xE000ED20u)
#define SCB_SHCSR REG32(0xE000ED24u)
#define SCB_CFSR REG32(0xE000ED28u)
#define SCB_HFSR REG32(0xE000ED2Cu)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR REG32(0xE000ED38u)
#define SCB_CPACR REG32(0xE000ED88u)
#define NVIC_STIR REG32(0xE000EF00u)

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)
#define AIRCR_VECTKEY (0x05FAu << 16)
#define CCR_UNALIGN_TRP (1u << 3)
#define CCR_DIV_0_TRP (1u << 4)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)

/* NVIC, one bit per external interrupt in each 32-bit word */
#define NVIC_ISER(n) REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) REG32(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) REG32(0xE000E280u + 4u * (n))
#define NVIC_IABR(n) REG32(0xE000E300u + 4u * (n))
#define NVIC_IPR_BYTE(irq) (*(volatile uint8_t *)(0xE000E400u + (irq)))

/* SysTick */
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE_CPU (1u << 2)

static inline void nvic_enable(int irq) { NVIC_ISER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_disable(int irq) { NVIC_ICER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_set_pending(int irq) { NVIC_ISPR(irq / 32) = 1u << (irq % 32); }
static inline void nvic_set_priority(int irq, uint8_t priority) { NVIC_IPR_BYTE(irq) = priority; }

static inline void irq_disable(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_enable(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm volatile("wfi" ::: "memory"); }
static inline void barrier(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }

#endif
