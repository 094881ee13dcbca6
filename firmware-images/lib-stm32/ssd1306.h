/* SSD1306 128x64 OLED controller on I2C (Solomon Systech datasheet rev 1.1): init and full-frame upload. */
#ifndef SSD1306_H
#define SSD1306_H

#include <stdint.h>

#include "i2c.h"

#define SSD1306_ADDRESS 0x3Cu
#define SSD1306_WIDTH 128u
#define SSD1306_HEIGHT 64u

/* One bit per pixel, GDDRAM layout: byte [page * 128 + x], bit y % 8 of page y / 8. */
struct ssd1306_frame {
    uint8_t bytes[SSD1306_WIDTH * SSD1306_HEIGHT / 8u];
};

/* The usual power-on sequence for a 128x64 module with the internal charge pump, horizontal addressing. */
enum i2c_status ssd1306_init(struct stm32_i2c *i2c, uint8_t address);

void ssd1306_set_pixel(struct ssd1306_frame *frame, unsigned x, unsigned y);

/* Sets the column and page window to the whole display and streams the frame as data bytes. */
enum i2c_status ssd1306_show(struct stm32_i2c *i2c, uint8_t address, const struct ssd1306_frame *frame);

#endif
