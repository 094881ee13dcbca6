/*
 * Polling I2C master for the STM32F4's I2C v1 peripheral (RM0090 section 27), written the way ST's
 * HAL polling driver drives the registers: START -> SB -> address -> ADDR (or AF) -> clear ADDR by
 * reading SR1 then SR2 -> data on TXE/RXNE/BTF -> STOP, with the manual's special sequences for
 * reads of one, two and three-or-more bytes (ACK/POS/STOP timing, 27.3.3 "Closing the communication").
 * Every wait is bounded by a timeout in SysTick milliseconds, so systick_start must have run.
 */
#ifndef I2C_H
#define I2C_H

#include <stddef.h>
#include <stdint.h>

#include "stm32f407.h"

enum i2c_status {
    I2C_OK = 0,
    I2C_NACK,        /* the target did not acknowledge its address or a byte (SR1.AF) */
    I2C_TIMEOUT,     /* a flag did not come in time */
    I2C_BUS_ERROR,   /* misplaced START/STOP or lost arbitration (SR1.BERR/ARLO) */
    I2C_BUSY,        /* SR2.BUSY stayed set before the transfer could start */
};

/* I2C1 on PB6 (SCL) / PB9 (SDA), alternate function 4, open drain with pull-ups, standard mode at `bus_hz`. */
void i2c1_init(uint32_t pclk1_hz, uint32_t bus_hz);

enum i2c_status i2c_transmit(struct stm32_i2c *i2c, uint8_t address, const uint8_t *data, size_t length);
enum i2c_status i2c_receive(struct stm32_i2c *i2c, uint8_t address, uint8_t *data, size_t length);

/* Writes `length` bytes to register/word address `reg` of the target in one transaction. */
enum i2c_status i2c_mem_write(struct stm32_i2c *i2c, uint8_t address, uint8_t reg, const uint8_t *data, size_t length);

/* Sets the register pointer, then a repeated START and a read of `length` bytes. */
enum i2c_status i2c_mem_read(struct stm32_i2c *i2c, uint8_t address, uint8_t reg, uint8_t *data, size_t length);

/*
 * Acknowledge polling: addresses the target (write) until it acknowledges, up to `trials` times.
 * I2C_OK with *attempts set to the number of addressings it took, or I2C_NACK after `trials`.
 */
enum i2c_status i2c_device_ready(struct stm32_i2c *i2c, uint8_t address, unsigned trials, unsigned *attempts);

const char *i2c_status_text(enum i2c_status status);

#endif
