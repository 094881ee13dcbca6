/* Ending a run under a debugger or emulator through Arm semihosting (SYS_EXIT_EXTENDED). */
#ifndef SEMIHOST_H
#define SEMIHOST_H

/* Ends the run with `code` (after the console has sent everything). Only for images meant for an emulator or a debug probe: on a board
 * without a debugger the BKPT instruction is a HardFault. */
void semihost_exit(int code) __attribute__((noreturn));

#endif
