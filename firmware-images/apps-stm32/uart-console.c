/*
 * uart-console: a line editor on USART2 driven by the RX interrupt. Received bytes go into a ring
 * buffer; the main loop echoes them, handles backspace, and runs a command per line:
 *   help        the commands
 *   led on|off  LD4 (green, PD12)
 *   temp        the TMP102 at 0x48 on I2C1, if one is wired
 *   uptime      milliseconds since start
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "console.h"
#include "gpio.h"
#include "i2c.h"
#include "systick.h"
#include "tmp102.h"

#define LINE_MAX 64u
#define RX_BUFFER 64u   /* a power of two: indexes wrap with a mask */

static volatile uint8_t rx_buffer[RX_BUFFER];
static volatile uint32_t rx_head;   /* written by the interrupt */
static uint32_t rx_tail;            /* read by the main loop */

static void on_receive(char c)
{
    uint32_t head = rx_head;
    if (head - rx_tail < RX_BUFFER) {   /* full: the byte is dropped */
        rx_buffer[head & (RX_BUFFER - 1u)] = (uint8_t)c;
        rx_head = head + 1u;
    }
}

static int next_byte(char *c)
{
    if (rx_tail == rx_head) {
        return 0;
    }
    *c = (char)rx_buffer[rx_tail & (RX_BUFFER - 1u)];
    rx_tail++;
    return 1;
}

static void command_temp(void)
{
    int32_t centi;
    enum i2c_status status = tmp102_read_centi_celsius(I2C1, TMP102_ADDRESS, &centi);
    if (status != I2C_OK) {
        console_printf("temp: no TMP102 at 0x%02x (%s)\n", TMP102_ADDRESS, i2c_status_text(status));
        return;
    }
    uint32_t magnitude = (uint32_t)(centi < 0 ? -centi : centi);
    console_printf("temp: %s%lu.%02lu C\n", centi < 0 ? "-" : "", (unsigned long)(magnitude / 100u),
        (unsigned long)(magnitude % 100u));
}

static void run_command(const char *line)
{
    if (line[0] == '\0') {
        return;
    }
    if (strcmp(line, "help") == 0) {
        console_puts("commands: help, led on, led off, temp, uptime\n");
    } else if (strcmp(line, "led on") == 0 || strcmp(line, "led off") == 0) {
        int on = line[5] == 'n';
        gpio_set(LED_PORT, LED_GREEN, on);
        console_printf("LD4 green %s\n", on ? "on" : "off");
    } else if (strcmp(line, "temp") == 0) {
        command_temp();
    } else if (strcmp(line, "uptime") == 0) {
        console_printf("uptime: %lu ms\n", (unsigned long)systick_ms());
    } else {
        console_printf("unknown command '%s' (try help)\n", line);
    }
}

int main(void)
{
    struct clock_rates rates = board_init();
    i2c1_init(rates.pclk1_hz, 100000u);
    console_on_receive(on_receive);
    console_puts("uart-console: type help\n> ");

    char line[LINE_MAX + 1];
    size_t length = 0;
    char previous = 0;
    for (;;) {
        char c;
        if (!next_byte(&c)) {
            wait_for_interrupt();
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\n' && previous == '\r') {
                previous = c;
                continue;   /* CR LF is one line end */
            }
            line[length] = '\0';
            console_puts("\n");
            run_command(line);
            length = 0;
            console_puts("> ");
        } else if (c == '\b' || c == 0x7F) {
            if (length > 0) {
                length--;
                console_puts("\b \b");
            }
        } else if (c >= ' ' && c < 0x7F && length < LINE_MAX) {
            line[length++] = c;
            console_putc(c);
        }
        previous = c;
    }
}
