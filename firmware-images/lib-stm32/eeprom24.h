/* 24C02-style I2C EEPROM (256 bytes, 8-byte pages, one-byte word address, ~5 ms write cycle). */
#ifndef EEPROM24_H
#define EEPROM24_H

#include <stddef.h>
#include <stdint.h>

#include "i2c.h"

#define EEPROM24_ADDRESS 0x50u
#define EEPROM24_PAGE_SIZE 8u

/*
 * Writes up to one page starting at `word_address` (the chip wraps inside the page, so callers keep
 * a write within one), then acknowledge-polls until the internal write cycle ends; *polls says how
 * many addressings that took (1 = ready at once).
 */
enum i2c_status eeprom24_write_page(struct stm32_i2c *i2c, uint8_t address, uint8_t word_address, const uint8_t *data,
    size_t length, unsigned *polls);

/* Random read: sets the word address, then a sequential read of `length` bytes. */
enum i2c_status eeprom24_read(struct stm32_i2c *i2c, uint8_t address, uint8_t word_address, uint8_t *data, size_t length);

#endif
