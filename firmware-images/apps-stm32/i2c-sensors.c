/*
 * i2c-sensors: I2C1 (PB6 SCL / PB9 SDA, AF4) at 100 kHz with the polling driver, against the
 * devices of stm32f4-discovery/i2c-sensors.wiring.json:
 *   TMP102 at 0x48   temperature, printed in degC;
 *   BME280 at 0x76   chip id, trimming parameters, one forced measurement, compensated T/P/H;
 *   24C02 at 0x50    one page written, acknowledge polling through the write cycle, read back;
 *   SSD1306 at 0x3C  a border and both diagonals (only if it answers).
 * A device that does not acknowledge its address is reported absent, not failed. Prints "done" and
 * exits through semihosting with the number of devices that answered but misbehaved.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bme280.h"
#include "board.h"
#include "console.h"
#include "eeprom24.h"
#include "i2c.h"
#include "semihost.h"
#include "ssd1306.h"
#include "tmp102.h"

#define I2C_BUS_HZ 100000u
#define BME280_TIMEOUT_MS 50u
#define EEPROM_WORD_ADDRESS 0x10u

static unsigned failures;

/* Prints a value in hundredths as "-1.05"; works for negative values above -1 too. */
static void format_centi(char *text, size_t size, int32_t centi)
{
    const char *sign = centi < 0 ? "-" : "";
    uint32_t magnitude = (uint32_t)(centi < 0 ? -centi : centi);
    snprintf(text, size, "%s%lu.%02lu", sign, (unsigned long)(magnitude / 100u), (unsigned long)(magnitude % 100u));
}

/* Reports a transfer error: absence (NACK) is information, anything else is a failure. */
static void report_error(const char *device, uint8_t address, enum i2c_status status)
{
    if (status == I2C_NACK) {
        console_printf("%s: not present at 0x%02x\n", device, address);
    } else {
        console_printf("%s: error at 0x%02x: %s\n", device, address, i2c_status_text(status));
        failures++;
    }
}

static void read_tmp102(void)
{
    int32_t centi;
    enum i2c_status status = tmp102_read_centi_celsius(I2C1, TMP102_ADDRESS, &centi);
    if (status != I2C_OK) {
        report_error("tmp102", TMP102_ADDRESS, status);
        return;
    }
    char text[16];
    format_centi(text, sizeof text, centi);
    console_printf("tmp102: %s C\n", text);
}

static void read_bme280(void)
{
    uint8_t id;
    struct bme280_calibration cal;
    struct bme280_reading reading;
    enum i2c_status status = bme280_read_chip_id(I2C1, BME280_ADDRESS, &id);
    if (status != I2C_OK) {
        report_error("bme280", BME280_ADDRESS, status);
        return;
    }
    console_printf("bme280: chip id 0x%02x\n", id);
    if (id != BME280_CHIP_ID) {
        console_printf("bme280: expected chip id 0x%02x\n", BME280_CHIP_ID);
        failures++;
        return;
    }
    status = bme280_read_calibration(I2C1, BME280_ADDRESS, &cal);
    if (status == I2C_OK) {
        status = bme280_measure_forced(I2C1, BME280_ADDRESS, &cal, BME280_TIMEOUT_MS, &reading);
    }
    if (status != I2C_OK) {
        report_error("bme280", BME280_ADDRESS, status);
        return;
    }
    char temperature[16];
    char pressure[16];
    char humidity[16];
    format_centi(temperature, sizeof temperature, reading.centi_celsius);
    /* Pa (Q24.8) rounded to whole pascals = hundredths of a hectopascal. */
    format_centi(pressure, sizeof pressure, (int32_t)((reading.pascal_q24_8 + 128u) >> 8));
    format_centi(humidity, sizeof humidity, (int32_t)((reading.humidity_q22_10 * 100u + 512u) >> 10));
    console_printf("bme280: T=%s C P=%s hPa H=%s %%RH\n", temperature, pressure, humidity);
}

static void check_eeprom(void)
{
    static const uint8_t page[EEPROM24_PAGE_SIZE] = { 'E', 'd', 'g', 'e', 'V', 'i', 's', 'r' };
    uint8_t back[EEPROM24_PAGE_SIZE];
    unsigned polls = 0;
    enum i2c_status status = eeprom24_write_page(I2C1, EEPROM24_ADDRESS, EEPROM_WORD_ADDRESS, page, sizeof page, &polls);
    if (status != I2C_OK) {
        report_error("24c02", EEPROM24_ADDRESS, status);
        return;
    }
    memset(back, 0, sizeof back);
    status = eeprom24_read(I2C1, EEPROM24_ADDRESS, EEPROM_WORD_ADDRESS, back, sizeof back);
    if (status != I2C_OK) {
        report_error("24c02", EEPROM24_ADDRESS, status);
        failures++;   /* it acknowledged the write, so a failed read is a failure */
        return;
    }
    int match = memcmp(page, back, sizeof page) == 0;
    console_printf("24c02: wrote %u bytes at 0x%02x, ready after %u polls, read back %.8s: %s\n", (unsigned)sizeof page,
        EEPROM_WORD_ADDRESS, polls, (const char *)back, match ? "match" : "mismatch");
    if (!match) {
        failures++;
    }
}

static void draw_ssd1306(void)
{
    static struct ssd1306_frame frame;
    unsigned attempts;
    enum i2c_status status = i2c_device_ready(I2C1, SSD1306_ADDRESS, 1, &attempts);
    if (status == I2C_OK) {
        status = ssd1306_init(I2C1, SSD1306_ADDRESS);
    }
    if (status != I2C_OK) {
        report_error("ssd1306", SSD1306_ADDRESS, status);
        return;
    }
    memset(&frame, 0, sizeof frame);
    for (unsigned x = 0; x < SSD1306_WIDTH; x++) {
        ssd1306_set_pixel(&frame, x, 0);
        ssd1306_set_pixel(&frame, x, SSD1306_HEIGHT - 1u);
        /* Diagonals from corner to corner: one row down every two columns. */
        ssd1306_set_pixel(&frame, x, x / 2u);
        ssd1306_set_pixel(&frame, x, SSD1306_HEIGHT - 1u - x / 2u);
    }
    for (unsigned y = 0; y < SSD1306_HEIGHT; y++) {
        ssd1306_set_pixel(&frame, 0, y);
        ssd1306_set_pixel(&frame, SSD1306_WIDTH - 1u, y);
    }
    status = ssd1306_show(I2C1, SSD1306_ADDRESS, &frame);
    if (status != I2C_OK) {
        report_error("ssd1306", SSD1306_ADDRESS, status);
        failures++;
        return;
    }
    console_puts("ssd1306: drew a border and both diagonals\n");
}

int main(void)
{
    struct clock_rates rates = board_init();
    i2c1_init(rates.pclk1_hz, I2C_BUS_HZ);
    console_printf("i2c-sensors: I2C1 at %lu kHz\n", (unsigned long)(I2C_BUS_HZ / 1000u));

    read_tmp102();
    read_bme280();
    check_eeprom();
    draw_ssd1306();

    console_printf("done: %u failed\n", failures);
    semihost_exit((int)failures);
}
