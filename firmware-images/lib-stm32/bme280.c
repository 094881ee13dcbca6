#include "bme280.h"

#include "systick.h"

#define REG_CALIB_00 0x88u
#define REG_CHIP_ID 0xD0u
#define REG_CALIB_26 0xE1u
#define REG_CTRL_HUM 0xF2u
#define REG_STATUS 0xF3u
#define REG_CTRL_MEAS 0xF4u
#define REG_DATA 0xF7u

#define STATUS_MEASURING (1u << 3)
#define OVERSAMPLING_X1 1u
#define MODE_FORCED 1u

static uint16_t u16_le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

enum i2c_status bme280_read_chip_id(struct stm32_i2c *i2c, uint8_t address, uint8_t *id)
{
    return i2c_mem_read(i2c, address, REG_CHIP_ID, id, 1);
}

enum i2c_status bme280_read_calibration(struct stm32_i2c *i2c, uint8_t address, struct bme280_calibration *cal)
{
    uint8_t tp[26];
    uint8_t h[7];
    enum i2c_status status = i2c_mem_read(i2c, address, REG_CALIB_00, tp, sizeof tp);
    if (status == I2C_OK) {
        status = i2c_mem_read(i2c, address, REG_CALIB_26, h, sizeof h);
    }
    if (status != I2C_OK) {
        return status;
    }
    cal->t1 = u16_le(&tp[0]);
    cal->t2 = (int16_t)u16_le(&tp[2]);
    cal->t3 = (int16_t)u16_le(&tp[4]);
    cal->p1 = u16_le(&tp[6]);
    int16_t *p_signed[8] = { &cal->p2, &cal->p3, &cal->p4, &cal->p5, &cal->p6, &cal->p7, &cal->p8, &cal->p9 };
    for (unsigned i = 0; i < 8; i++) {
        *p_signed[i] = (int16_t)u16_le(&tp[8 + 2 * i]);
    }
    cal->h1 = tp[25];                        /* 0xA1 (0xA0 is unused) */
    cal->h2 = (int16_t)u16_le(&h[0]);        /* 0xE1/0xE2 */
    cal->h3 = h[2];                          /* 0xE3 */
    /* H4 and H5 are 12-bit signed values sharing 0xE5: H4 = E4[7:0] E5[3:0], H5 = E6[7:0] E5[7:4]. */
    cal->h4 = (int16_t)(((int8_t)h[3] * 16) | (h[4] & 0x0F));
    cal->h5 = (int16_t)(((int8_t)h[5] * 16) | (h[4] >> 4));
    cal->h6 = (int8_t)h[6];
    return I2C_OK;
}

enum i2c_status bme280_measure_forced(struct stm32_i2c *i2c, uint8_t address, const struct bme280_calibration *cal,
    uint32_t timeout_ms, struct bme280_reading *reading)
{
    const uint8_t ctrl_hum = OVERSAMPLING_X1;
    const uint8_t ctrl_meas = (OVERSAMPLING_X1 << 5) | (OVERSAMPLING_X1 << 2) | MODE_FORCED;
    enum i2c_status status = i2c_mem_write(i2c, address, REG_CTRL_HUM, &ctrl_hum, 1);
    if (status == I2C_OK) {
        status = i2c_mem_write(i2c, address, REG_CTRL_MEAS, &ctrl_meas, 1);
    }
    if (status != I2C_OK) {
        return status;
    }

    uint32_t start = systick_ms();
    uint8_t measuring;
    do {
        if ((status = i2c_mem_read(i2c, address, REG_STATUS, &measuring, 1)) != I2C_OK) {
            return status;
        }
        if (systick_ms() - start > timeout_ms) {
            return I2C_TIMEOUT;
        }
    } while (measuring & STATUS_MEASURING);

    uint8_t raw[8];
    if ((status = i2c_mem_read(i2c, address, REG_DATA, raw, sizeof raw)) != I2C_OK) {
        return status;
    }
    int32_t adc_p = (int32_t)(((uint32_t)raw[0] << 12) | ((uint32_t)raw[1] << 4) | (raw[2] >> 4));
    int32_t adc_t = (int32_t)(((uint32_t)raw[3] << 12) | ((uint32_t)raw[4] << 4) | (raw[5] >> 4));
    int32_t adc_h = (int32_t)(((uint32_t)raw[6] << 8) | raw[7]);
    *reading = bme280_compensate(cal, adc_t, adc_p, adc_h);
    return I2C_OK;
}

/* Temperature in 0.01 degC; also yields t_fine, the fine temperature the other two formulas use. */
static int32_t compensate_temperature(const struct bme280_calibration *cal, int32_t adc_t, int32_t *t_fine)
{
    int32_t offset = (adc_t >> 3) - ((int32_t)cal->t1 << 1);
    int32_t linear = (offset * cal->t2) >> 11;
    int32_t delta = (adc_t >> 4) - (int32_t)cal->t1;
    int32_t quadratic = (((delta * delta) >> 12) * cal->t3) >> 14;
    *t_fine = linear + quadratic;
    return (*t_fine * 5 + 128) >> 8;
}

/* Pressure in Pa as Q24.8, with 64-bit intermediates. */
static uint32_t compensate_pressure(const struct bme280_calibration *cal, int32_t adc_p, int32_t t_fine)
{
    int64_t x = (int64_t)t_fine - 128000;
    int64_t offset = x * x * cal->p6 + ((x * cal->p5) << 17) + ((int64_t)cal->p4 << 35);
    int64_t scale = ((x * x * cal->p3) >> 8) + ((x * cal->p2) << 12);
    scale = ((((int64_t)1 << 47) + scale) * cal->p1) >> 33;
    if (scale == 0) {
        return 0;   /* avoids a division by zero with unprogrammed trimming */
    }
    int64_t p = 1048576 - adc_p;
    p = (((p << 31) - offset) * 3125) / scale;
    int64_t second_order = ((int64_t)cal->p9 * (p >> 13) * (p >> 13)) >> 25;
    int64_t first_order = ((int64_t)cal->p8 * p) >> 19;
    return (uint32_t)(((p + second_order + first_order) >> 8) + ((int64_t)cal->p7 << 4));
}

/* Relative humidity in %RH as Q22.10, clamped to 0-100 %. */
static uint32_t compensate_humidity(const struct bme280_calibration *cal, int32_t adc_h, int32_t t_fine)
{
    int32_t x = t_fine - 76800;
    int32_t raw_term = ((adc_h << 14) - ((int32_t)cal->h4 << 20) - (cal->h5 * x) + 16384) >> 15;
    int32_t temp_term = ((((x * cal->h6) >> 10) * (((x * (int32_t)cal->h3) >> 11) + 32768)) >> 10) + 2097152;
    int32_t h = raw_term * ((temp_term * cal->h2 + 8192) >> 14);
    h -= ((((h >> 15) * (h >> 15)) >> 7) * (int32_t)cal->h1) >> 4;
    if (h < 0) {
        h = 0;
    }
    if (h > 419430400) {
        h = 419430400;
    }
    return (uint32_t)(h >> 12);
}

struct bme280_reading bme280_compensate(const struct bme280_calibration *cal, int32_t adc_t, int32_t adc_p, int32_t adc_h)
{
    struct bme280_reading reading;
    int32_t t_fine;
    reading.centi_celsius = compensate_temperature(cal, adc_t, &t_fine);
    reading.pascal_q24_8 = compensate_pressure(cal, adc_p, t_fine);
    reading.humidity_q22_10 = compensate_humidity(cal, adc_h, t_fine);
    return reading;
}
