/* TI TMP102 temperature sensor (datasheet SBOS397): temperature register read in hundredths of a degree. */
#ifndef TMP102_H
#define TMP102_H

#include <stdint.h>

#include "i2c.h"

#define TMP102_ADDRESS 0x48u

/* Reads the temperature register (pointer 0) as centi-degrees Celsius; handles the 13-bit extended mode. */
enum i2c_status tmp102_read_centi_celsius(struct stm32_i2c *i2c, uint8_t address, int32_t *centi_celsius);

#endif
