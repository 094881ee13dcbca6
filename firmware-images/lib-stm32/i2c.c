#include "i2c.h"

#include "gpio.h"
#include "systick.h"

#define I2C1_AF 4u
#define SCL_PIN 6u
#define SDA_PIN 9u

/* The HAL's bounds: 25 ms for the bus to become free, 25 ms per flag. */
#define BUSY_TIMEOUT_MS 25u
#define FLAG_TIMEOUT_MS 25u

void i2c1_init(uint32_t pclk1_hz, uint32_t bus_hz)
{
    RCC->ahb1enr |= RCC_AHB1ENR_GPIOBEN;
    RCC->apb1enr |= RCC_APB1ENR_I2C1EN;
    (void)RCC->apb1enr;
    gpio_alternate(GPIOB, SCL_PIN, I2C1_AF, 1, GPIO_PULL_UP);
    gpio_alternate(GPIOB, SDA_PIN, I2C1_AF, 1, GPIO_PULL_UP);

    /* A software reset first, as the HAL does, clears anything a previous run left half-done. */
    I2C1->cr1 = I2C_CR1_SWRST;
    I2C1->cr1 = 0;

    uint32_t freq_mhz = pclk1_hz / 1000000u;
    I2C1->cr2 = freq_mhz;                          /* FREQ: the APB1 clock in MHz (2-42) */
    uint32_t ccr = pclk1_hz / (2u * bus_hz);       /* standard mode: SCL high = low = CCR * Tpclk */
    I2C1->ccr = ccr < 4u ? 4u : ccr;
    I2C1->trise = freq_mhz + 1u;                   /* 1000 ns maximum rise time in standard mode */
    I2C1->oar1 = 1u << 14;                         /* RM0090: bit 14 must be kept at 1 by software */
    I2C1->cr1 = I2C_CR1_PE;
}

static void clear_addr(struct stm32_i2c *i2c)
{
    /* ADDR clears on a read of SR1 followed by a read of SR2. */
    (void)i2c->sr1;
    (void)i2c->sr2;
}

static void clear_af(struct stm32_i2c *i2c)
{
    /* SR1's error flags are rc_w0: writing 0 clears, writing 1 leaves a bit alone. */
    i2c->sr1 = ~I2C_SR1_AF;
}

static enum i2c_status wait_not_busy(struct stm32_i2c *i2c)
{
    uint32_t start = systick_ms();
    while (i2c->sr2 & I2C_SR2_BUSY) {
        if (systick_ms() - start > BUSY_TIMEOUT_MS) {
            return I2C_BUSY;
        }
    }
    return I2C_OK;
}

/*
 * Waits for any of `flags` in SR1. A NACK (AF) ends the transfer with STOP and clears AF; BERR and
 * ARLO end it as a bus error. `check_nack` is off for SB and RXNE, where AF cannot occur.
 */
static enum i2c_status wait_sr1(struct stm32_i2c *i2c, uint32_t flags, int check_nack)
{
    uint32_t start = systick_ms();
    for (;;) {
        uint32_t sr1 = i2c->sr1;
        if (sr1 & flags) {
            return I2C_OK;
        }
        if (check_nack && (sr1 & I2C_SR1_AF)) {
            i2c->cr1 |= I2C_CR1_STOP;
            clear_af(i2c);
            return I2C_NACK;
        }
        if (sr1 & (I2C_SR1_BERR | I2C_SR1_ARLO)) {
            i2c->sr1 = ~(I2C_SR1_BERR | I2C_SR1_ARLO);
            return I2C_BUS_ERROR;
        }
        if (systick_ms() - start > FLAG_TIMEOUT_MS) {
            return I2C_TIMEOUT;
        }
    }
}

/* START (or repeated START), then the address byte; returns with ADDR set and not yet cleared. */
static enum i2c_status address_target(struct stm32_i2c *i2c, uint8_t address, int read)
{
    i2c->cr1 |= I2C_CR1_START;
    enum i2c_status status = wait_sr1(i2c, I2C_SR1_SB, 0);
    if (status != I2C_OK) {
        return status;
    }
    i2c->dr = (uint8_t)((address << 1) | (read ? 1u : 0u));   /* SR1 read + DR write clear SB */
    return wait_sr1(i2c, I2C_SR1_ADDR, 1);
}

static enum i2c_status send_bytes(struct stm32_i2c *i2c, const uint8_t *data, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        enum i2c_status status = wait_sr1(i2c, I2C_SR1_TXE, 1);
        if (status != I2C_OK) {
            return status;
        }
        i2c->dr = data[i];
    }
    return I2C_OK;
}

/* The read sequences of RM0090 27.3.3, entered with ADDR set (the address of a read acknowledged). */
static enum i2c_status receive_bytes(struct stm32_i2c *i2c, uint8_t *data, size_t length)
{
    enum i2c_status status;
    uint32_t primask;
    if (length == 0) {
        clear_addr(i2c);
        i2c->cr1 |= I2C_CR1_STOP;
        return I2C_OK;
    }
    if (length == 1) {
        /* NACK the only byte: ACK off before ADDR clears, STOP right after (no interrupt in between). */
        i2c->cr1 &= ~I2C_CR1_ACK;
        primask = irq_save();
        clear_addr(i2c);
        i2c->cr1 |= I2C_CR1_STOP;
        irq_restore(primask);
        status = wait_sr1(i2c, I2C_SR1_RXNE, 0);
        if (status == I2C_OK) {
            data[0] = (uint8_t)i2c->dr;
        }
        return status;
    }
    if (length == 2) {
        /* POS: the NACK applies to the second byte; both arrive (BTF), then STOP and two reads. */
        i2c->cr1 = (i2c->cr1 & ~I2C_CR1_ACK) | I2C_CR1_POS;
        clear_addr(i2c);
        status = wait_sr1(i2c, I2C_SR1_BTF, 0);
        if (status != I2C_OK) {
            return status;
        }
        primask = irq_save();
        i2c->cr1 |= I2C_CR1_STOP;
        data[0] = (uint8_t)i2c->dr;
        irq_restore(primask);
        data[1] = (uint8_t)i2c->dr;
        i2c->cr1 &= ~I2C_CR1_POS;
        return I2C_OK;
    }

    i2c->cr1 |= I2C_CR1_ACK;
    clear_addr(i2c);
    size_t left = length;
    while (left > 3) {
        status = wait_sr1(i2c, I2C_SR1_RXNE, 0);
        if (status != I2C_OK) {
            return status;
        }
        *data++ = (uint8_t)i2c->dr;
        left--;
    }
    /* Three left: byte N-2 in DR and N-1 in the shift register (BTF), ACK off so N is NACKed,
     * read N-2, wait for N to complete behind N-1, STOP, read N-1 and N. */
    status = wait_sr1(i2c, I2C_SR1_BTF, 0);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 &= ~I2C_CR1_ACK;
    primask = irq_save();
    *data++ = (uint8_t)i2c->dr;
    status = wait_sr1(i2c, I2C_SR1_BTF, 0);
    if (status != I2C_OK) {
        irq_restore(primask);
        return status;
    }
    i2c->cr1 |= I2C_CR1_STOP;
    *data++ = (uint8_t)i2c->dr;
    irq_restore(primask);
    *data = (uint8_t)i2c->dr;
    return I2C_OK;
}

enum i2c_status i2c_transmit(struct stm32_i2c *i2c, uint8_t address, const uint8_t *data, size_t length)
{
    enum i2c_status status = wait_not_busy(i2c);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 &= ~I2C_CR1_POS;
    if ((status = address_target(i2c, address, 0)) != I2C_OK) {
        return status;
    }
    clear_addr(i2c);
    if ((status = send_bytes(i2c, data, length)) != I2C_OK) {
        return status;
    }
    if ((status = wait_sr1(i2c, I2C_SR1_BTF, 1)) != I2C_OK) {
        return status;
    }
    i2c->cr1 |= I2C_CR1_STOP;
    return I2C_OK;
}

enum i2c_status i2c_receive(struct stm32_i2c *i2c, uint8_t address, uint8_t *data, size_t length)
{
    enum i2c_status status = wait_not_busy(i2c);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 = (i2c->cr1 & ~I2C_CR1_POS) | I2C_CR1_ACK;
    if ((status = address_target(i2c, address, 1)) != I2C_OK) {
        return status;
    }
    return receive_bytes(i2c, data, length);
}

enum i2c_status i2c_mem_write(struct stm32_i2c *i2c, uint8_t address, uint8_t reg, const uint8_t *data, size_t length)
{
    enum i2c_status status = wait_not_busy(i2c);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 &= ~I2C_CR1_POS;
    if ((status = address_target(i2c, address, 0)) != I2C_OK) {
        return status;
    }
    clear_addr(i2c);
    if ((status = send_bytes(i2c, &reg, 1)) != I2C_OK) {
        return status;
    }
    if ((status = send_bytes(i2c, data, length)) != I2C_OK) {
        return status;
    }
    if ((status = wait_sr1(i2c, I2C_SR1_BTF, 1)) != I2C_OK) {
        return status;
    }
    i2c->cr1 |= I2C_CR1_STOP;
    return I2C_OK;
}

enum i2c_status i2c_mem_read(struct stm32_i2c *i2c, uint8_t address, uint8_t reg, uint8_t *data, size_t length)
{
    enum i2c_status status = wait_not_busy(i2c);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 = (i2c->cr1 & ~I2C_CR1_POS) | I2C_CR1_ACK;
    if ((status = address_target(i2c, address, 0)) != I2C_OK) {
        return status;
    }
    clear_addr(i2c);
    if ((status = send_bytes(i2c, &reg, 1)) != I2C_OK) {
        return status;
    }
    /* The register address must be on the wire before the repeated START. */
    if ((status = wait_sr1(i2c, I2C_SR1_TXE, 1)) != I2C_OK) {
        return status;
    }
    if ((status = address_target(i2c, address, 1)) != I2C_OK) {
        return status;
    }
    return receive_bytes(i2c, data, length);
}

enum i2c_status i2c_device_ready(struct stm32_i2c *i2c, uint8_t address, unsigned trials, unsigned *attempts)
{
    enum i2c_status status = wait_not_busy(i2c);
    if (status != I2C_OK) {
        return status;
    }
    i2c->cr1 &= ~I2C_CR1_POS;
    for (unsigned attempt = 1; attempt <= trials; attempt++) {
        i2c->cr1 |= I2C_CR1_START;
        if ((status = wait_sr1(i2c, I2C_SR1_SB, 0)) != I2C_OK) {
            return status;
        }
        i2c->dr = (uint8_t)(address << 1);
        uint32_t start = systick_ms();
        uint32_t sr1;
        while (((sr1 = i2c->sr1) & (I2C_SR1_ADDR | I2C_SR1_AF)) == 0) {
            if (systick_ms() - start > FLAG_TIMEOUT_MS) {
                return I2C_TIMEOUT;
            }
        }
        i2c->cr1 |= I2C_CR1_STOP;
        if (sr1 & I2C_SR1_ADDR) {
            clear_addr(i2c);
            if (attempts != 0) {
                *attempts = attempt;
            }
            return wait_not_busy(i2c);
        }
        clear_af(i2c);
        if ((status = wait_not_busy(i2c)) != I2C_OK) {
            return status;
        }
    }
    return I2C_NACK;
}

const char *i2c_status_text(enum i2c_status status)
{
    switch (status) {
    case I2C_OK: return "ok";
    case I2C_NACK: return "no acknowledge";
    case I2C_TIMEOUT: return "timeout";
    case I2C_BUS_ERROR: return "bus error";
    case I2C_BUSY: return "bus busy";
    }
    return "unknown";
}
