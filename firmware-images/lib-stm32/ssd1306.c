#include "ssd1306.h"

#define CONTROL_COMMANDS 0x00u   /* Co = 0, D/C# = 0: every following byte is a command */
#define CONTROL_DATA 0x40u       /* Co = 0, D/C# = 1: every following byte goes to GDDRAM */
#define DATA_CHUNK 16u

static enum i2c_status send_commands(struct stm32_i2c *i2c, uint8_t address, const uint8_t *commands, size_t length)
{
    return i2c_mem_write(i2c, address, CONTROL_COMMANDS, commands, length);
}

enum i2c_status ssd1306_init(struct stm32_i2c *i2c, uint8_t address)
{
    static const uint8_t sequence[] = {
        0xAE,         /* display off */
        0xD5, 0x80,   /* clock divide ratio / oscillator frequency: reset value */
        0xA8, 0x3F,   /* multiplex ratio: 64 lines */
        0xD3, 0x00,   /* display offset 0 */
        0x40,         /* start line 0 */
        0x8D, 0x14,   /* charge pump on */
        0x20, 0x00,   /* horizontal addressing mode */
        0xA1,         /* segment remap: column 127 is SEG0 */
        0xC8,         /* COM scan from COM63 to COM0 */
        0xDA, 0x12,   /* COM pins: alternative configuration */
        0x81, 0xCF,   /* contrast */
        0xD9, 0xF1,   /* pre-charge period */
        0xDB, 0x40,   /* VCOMH deselect level */
        0xA4,         /* display follows GDDRAM */
        0xA6,         /* normal (not inverted) */
        0xAF,         /* display on */
    };
    return send_commands(i2c, address, sequence, sizeof sequence);
}

void ssd1306_set_pixel(struct ssd1306_frame *frame, unsigned x, unsigned y)
{
    if (x < SSD1306_WIDTH && y < SSD1306_HEIGHT) {
        frame->bytes[(y / 8u) * SSD1306_WIDTH + x] |= (uint8_t)(1u << (y % 8u));
    }
}

enum i2c_status ssd1306_show(struct stm32_i2c *i2c, uint8_t address, const struct ssd1306_frame *frame)
{
    static const uint8_t window[] = {
        0x21, 0, SSD1306_WIDTH - 1u,             /* columns 0-127 */
        0x22, 0, SSD1306_HEIGHT / 8u - 1u,       /* pages 0-7 */
    };
    enum i2c_status status = send_commands(i2c, address, window, sizeof window);
    for (size_t offset = 0; status == I2C_OK && offset < sizeof frame->bytes; offset += DATA_CHUNK) {
        status = i2c_mem_write(i2c, address, CONTROL_DATA, &frame->bytes[offset], DATA_CHUNK);
    }
    return status;
}
