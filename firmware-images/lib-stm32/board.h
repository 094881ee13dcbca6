/* The STM32F4DISCOVERY board (UM1472): user LEDs, user button, console, clocks. */
#ifndef BOARD_H
#define BOARD_H

#include "clock.h"
#include "stm32f407.h"

#define LED_PORT GPIOD
#define LED_GREEN 12u    /* LD4 */
#define LED_ORANGE 13u   /* LD3 */
#define LED_RED 14u      /* LD5 */
#define LED_BLUE 15u     /* LD6 */

#define BUTTON_PORT GPIOA
#define BUTTON_PIN 0u    /* B1 "USER": high while pressed (external pull-down R39) */

#define CONSOLE_BAUD 115200u

/*
 * Everything a sample needs first: clocks to 168 MHz (HAL-style init, see clock.h), SysTick at
 * 1 kHz, the USART2 console at 115200 baud from the PCLK1 the RCC reports, and the LED pins as
 * outputs (off). Reports a clock failure on the console and carries on at the clock it got.
 */
struct clock_rates board_init(void);

#endif
