/*
 * Bosch BME280 humidity/pressure/temperature sensor (datasheet BST-BME280-DS002): chip id, trimming
 * parameters, one forced-mode measurement and the datasheet's fixed-point compensation (section 4.2.3
 * and 8.1/8.2: 32-bit temperature and humidity, 64-bit pressure), implemented here from the formulas.
 */
#ifndef BME280_H
#define BME280_H

#include <stdint.h>

#include "i2c.h"

#define BME280_ADDRESS 0x76u
#define BME280_CHIP_ID 0x60u

/* Trimming parameters from NVM (0x88-0xA1 and 0xE1-0xE7), names as in the datasheet's table 16. */
struct bme280_calibration {
    uint16_t t1;
    int16_t t2, t3;
    uint16_t p1;
    int16_t p2, p3, p4, p5, p6, p7, p8, p9;
    uint8_t h1, h3;
    int16_t h2, h4, h5;
    int8_t h6;
};

struct bme280_reading {
    int32_t centi_celsius;      /* 0.01 degC */
    uint32_t pascal_q24_8;      /* Pa in Q24.8 (divide by 256) */
    uint32_t humidity_q22_10;   /* %RH in Q22.10 (divide by 1024) */
};

enum i2c_status bme280_read_chip_id(struct stm32_i2c *i2c, uint8_t address, uint8_t *id);
enum i2c_status bme280_read_calibration(struct stm32_i2c *i2c, uint8_t address, struct bme280_calibration *cal);

/*
 * One forced-mode conversion with x1 oversampling of all three quantities: ctrl_hum, then ctrl_meas
 * (which latches ctrl_hum and starts), poll status.measuring until it clears (bounded by
 * `timeout_ms`), burst-read 0xF7-0xFE and compensate.
 */
enum i2c_status bme280_measure_forced(struct stm32_i2c *i2c, uint8_t address, const struct bme280_calibration *cal,
    uint32_t timeout_ms, struct bme280_reading *reading);

/* The compensation alone, from raw 20-bit temperature/pressure and 16-bit humidity ADC values. */
struct bme280_reading bme280_compensate(const struct bme280_calibration *cal, int32_t adc_t, int32_t adc_p, int32_t adc_h);

#endif
