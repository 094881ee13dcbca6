#include "eeprom24.h"

/* 200 addressings of ~0.1 ms each at 100 kHz cover a 10 ms write cycle twice over. */
#define READY_TRIALS 200u

enum i2c_status eeprom24_write_page(struct stm32_i2c *i2c, uint8_t address, uint8_t word_address, const uint8_t *data,
    size_t length, unsigned *polls)
{
    enum i2c_status status = i2c_mem_write(i2c, address, word_address, data, length);
    if (status != I2C_OK) {
        return status;
    }
    return i2c_device_ready(i2c, address, READY_TRIALS, polls);
}

enum i2c_status eeprom24_read(struct stm32_i2c *i2c, uint8_t address, uint8_t word_address, uint8_t *data, size_t length)
{
    return i2c_mem_read(i2c, address, word_address, data, length);
}
