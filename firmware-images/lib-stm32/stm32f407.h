/*
 * STM32F405/407 registers used by the EdgeVisor samples, written from RM0090 (rev 19) and the
 * STM32F407 datasheet's memory map. Each peripheral is a struct laid out like its register map, so
 * `GPIOD->odr` is the register at GPIOD base + 0x14. Bit names follow the manual's field names.
 */
#ifndef STM32F407_H
#define STM32F407_H

#include <stdint.h>

typedef volatile uint32_t reg32;

/* ---- Memory map (RM0090 section 2.3) ---- */
#define FLASH_BASE_ADDRESS 0x08000000u
#define SRAM_BASE_ADDRESS 0x20000000u
#define CCM_BASE_ADDRESS 0x10000000u

/* ---- RCC: reset and clock control (RM0090 section 7.3) ---- */
struct stm32_rcc {
    reg32 cr;          /* 0x00 */
    reg32 pllcfgr;     /* 0x04 */
    reg32 cfgr;        /* 0x08 */
    reg32 cir;         /* 0x0C */
    reg32 ahb1rstr;    /* 0x10 */
    reg32 ahb2rstr;    /* 0x14 */
    reg32 ahb3rstr;    /* 0x18 */
    reg32 reserved0;   /* 0x1C */
    reg32 apb1rstr;    /* 0x20 */
    reg32 apb2rstr;    /* 0x24 */
    reg32 reserved1[2];
    reg32 ahb1enr;     /* 0x30 */
    reg32 ahb2enr;     /* 0x34 */
    reg32 ahb3enr;     /* 0x38 */
    reg32 reserved2;
    reg32 apb1enr;     /* 0x40 */
    reg32 apb2enr;     /* 0x44 */
};
#define RCC ((struct stm32_rcc *)0x40023800u)

#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)

#define RCC_PLLCFGR_PLLM_SHIFT 0    /* 6 bits: VCO input = source / M */
#define RCC_PLLCFGR_PLLN_SHIFT 6    /* 9 bits: VCO output = input * N */
#define RCC_PLLCFGR_PLLP_SHIFT 16   /* 2 bits: SYSCLK = VCO / (2 * (P + 1)) */
#define RCC_PLLCFGR_PLLSRC_HSE (1u << 22)
#define RCC_PLLCFGR_PLLQ_SHIFT 24   /* 4 bits: 48 MHz domain = VCO / Q */

#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SW_HSI 0x0u
#define RCC_CFGR_SW_HSE 0x1u
#define RCC_CFGR_SW_PLL 0x2u
#define RCC_CFGR_SWS_SHIFT 2
#define RCC_CFGR_HPRE_SHIFT 4       /* 4 bits: 0xxx = /1, 1000 = /2 ... 1111 = /512 */
#define RCC_CFGR_PPRE1_SHIFT 10     /* 3 bits: 0xx = /1, 100 = /2 ... 111 = /16 */
#define RCC_CFGR_PPRE2_SHIFT 13
#define RCC_CFGR_PPRE_DIV1 0x0u
#define RCC_CFGR_PPRE_DIV2 0x4u
#define RCC_CFGR_PPRE_DIV4 0x5u
#define RCC_CFGR_PPRE_DIV16 0x7u

#define RCC_AHB1ENR_GPIOAEN (1u << 0)
#define RCC_AHB1ENR_GPIOBEN (1u << 1)
#define RCC_AHB1ENR_GPIODEN (1u << 3)
#define RCC_APB1ENR_USART2EN (1u << 17)
#define RCC_APB1ENR_I2C1EN (1u << 21)
#define RCC_APB1ENR_PWREN (1u << 28)
#define RCC_APB1RSTR_I2C1RST (1u << 21)
#define RCC_APB2ENR_SYSCFGEN (1u << 14)

/* ---- FLASH interface (RM0090 section 3.9) ---- */
struct stm32_flash {
    reg32 acr;         /* 0x00 */
    reg32 keyr;        /* 0x04 */
    reg32 optkeyr;     /* 0x08 */
    reg32 sr;          /* 0x0C */
    reg32 cr;          /* 0x10 */
    reg32 optcr;       /* 0x14 */
};
#define FLASH_IF ((struct stm32_flash *)0x40023C00u)
#define FLASH_ACR_LATENCY_MASK 0x7u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

/* ---- PWR (RM0090 section 5.4) ---- */
struct stm32_pwr {
    reg32 cr;          /* 0x00 */
    reg32 csr;         /* 0x04 */
};
#define PWR ((struct stm32_pwr *)0x40007000u)
#define PWR_CR_VOS (1u << 14)       /* STM32F407: 1 = scale 1, needed for 168 MHz */

/* ---- GPIO (RM0090 section 8.4) ---- */
struct stm32_gpio {
    reg32 moder;       /* 0x00: 2 bits per pin */
    reg32 otyper;      /* 0x04 */
    reg32 ospeedr;     /* 0x08 */
    reg32 pupdr;       /* 0x0C */
    reg32 idr;         /* 0x10 */
    reg32 odr;         /* 0x14 */
    reg32 bsrr;        /* 0x18: low half sets, high half resets */
    reg32 lckr;        /* 0x1C */
    reg32 afr[2];      /* 0x20 pins 0-7, 0x24 pins 8-15: 4 bits each */
};
#define GPIOA ((struct stm32_gpio *)0x40020000u)
#define GPIOB ((struct stm32_gpio *)0x40020400u)
#define GPIOD ((struct stm32_gpio *)0x40020C00u)

/* ---- SYSCFG (RM0090 section 9.2) and EXTI (section 12.3) ---- */
struct stm32_syscfg {
    reg32 memrmp;      /* 0x00 */
    reg32 pmc;         /* 0x04 */
    reg32 exticr[4];   /* 0x08..0x14: 4 bits per line, port A = 0 */
    reg32 reserved[2];
    reg32 cmpcr;       /* 0x20 */
};
#define SYSCFG ((struct stm32_syscfg *)0x40013800u)

struct stm32_exti {
    reg32 imr;         /* 0x00 */
    reg32 emr;         /* 0x04 */
    reg32 rtsr;        /* 0x08 */
    reg32 ftsr;        /* 0x0C */
    reg32 swier;       /* 0x10 */
    reg32 pr;          /* 0x14: write 1 to clear */
};
#define EXTI ((struct stm32_exti *)0x40013C00u)

/* ---- USART (RM0090 section 30.6) ---- */
struct stm32_usart {
    reg32 sr;          /* 0x00 */
    reg32 dr;          /* 0x04 */
    reg32 brr;         /* 0x08 */
    reg32 cr1;         /* 0x0C */
    reg32 cr2;         /* 0x10 */
    reg32 cr3;         /* 0x14 */
    reg32 gtpr;        /* 0x18 */
};
#define USART2 ((struct stm32_usart *)0x40004400u)
#define USART_SR_ORE (1u << 3)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TC (1u << 6)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_UE (1u << 13)

/* ---- I2C v1 (RM0090 section 27.6) ---- */
struct stm32_i2c {
    reg32 cr1;         /* 0x00 */
    reg32 cr2;         /* 0x04 */
    reg32 oar1;        /* 0x08 */
    reg32 oar2;        /* 0x0C */
    reg32 dr;          /* 0x10 */
    reg32 sr1;         /* 0x14 */
    reg32 sr2;         /* 0x18 */
    reg32 ccr;         /* 0x1C */
    reg32 trise;       /* 0x20 */
    reg32 fltr;        /* 0x24 */
};
#define I2C1 ((struct stm32_i2c *)0x40005400u)
#define I2C_CR1_PE (1u << 0)
#define I2C_CR1_START (1u << 8)
#define I2C_CR1_STOP (1u << 9)
#define I2C_CR1_ACK (1u << 10)
#define I2C_CR1_POS (1u << 11)
#define I2C_CR1_SWRST (1u << 15)
#define I2C_SR1_SB (1u << 0)
#define I2C_SR1_ADDR (1u << 1)
#define I2C_SR1_BTF (1u << 2)
#define I2C_SR1_STOPF (1u << 4)
#define I2C_SR1_RXNE (1u << 6)
#define I2C_SR1_TXE (1u << 7)
#define I2C_SR1_BERR (1u << 8)
#define I2C_SR1_ARLO (1u << 9)
#define I2C_SR1_AF (1u << 10)
#define I2C_SR1_OVR (1u << 11)
#define I2C_SR2_MSL (1u << 0)
#define I2C_SR2_BUSY (1u << 1)

/* ---- Cortex-M4 system control space (ARMv7-M ARM, B3) ---- */
struct cm4_systick {
    reg32 ctrl;        /* 0xE000E010 */
    reg32 load;
    reg32 val;
    reg32 calib;
};
#define SYSTICK ((struct cm4_systick *)0xE000E010u)
#define SYSTICK_CTRL_ENABLE (1u << 0)
#define SYSTICK_CTRL_TICKINT (1u << 1)
#define SYSTICK_CTRL_CLKSOURCE_CPU (1u << 2)

#define NVIC_ISER ((reg32 *)0xE000E100u)
#define NVIC_ICPR ((reg32 *)0xE000E280u)
#define NVIC_IPR ((volatile uint8_t *)0xE000E400u)
#define SCB_CPACR (*(reg32 *)0xE000ED88u)

/* Interrupt numbers (the position in the vector table after the 16 system exceptions). */
enum stm32_irq {
    IRQ_EXTI0 = 6,
    IRQ_I2C1_EV = 31,
    IRQ_I2C1_ER = 32,
    IRQ_USART2 = 38,
    IRQ_COUNT = 82,
};

static inline void nvic_enable(enum stm32_irq irq, uint8_t priority)
{
    /* Four priority bits, kept in the top half of the byte. */
    NVIC_IPR[irq] = (uint8_t)(priority << 4);
    NVIC_ICPR[irq / 32u] = 1u << (irq % 32u);
    NVIC_ISER[irq / 32u] = 1u << (irq % 32u);
}

static inline void wait_for_interrupt(void)
{
    __asm volatile("wfi");
}

static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#endif
