#include "tmp102.h"

enum i2c_status tmp102_read_centi_celsius(struct stm32_i2c *i2c, uint8_t address, int32_t *centi_celsius)
{
    uint8_t raw[2];
    enum i2c_status status = i2c_mem_read(i2c, address, 0x00, raw, sizeof raw);
    if (status != I2C_OK) {
        return status;
    }
    /* Left-justified two's complement, 0.0625 degC per count; bit 0 of the second byte is set in
     * extended mode (13 bits) and clear in normal mode (12 bits). */
    int16_t word = (int16_t)((raw[0] << 8) | raw[1]);
    int32_t counts = (raw[1] & 1u) ? (word >> 3) : (word >> 4);
    /* 6.25 hundredths per count, rounded half away from zero. */
    int32_t scaled = counts * 625;
    *centi_celsius = (scaled >= 0 ? scaled + 50 : scaled - 50) / 100;
    return I2C_OK;
}
