#include "semihost.h"

int semihost_get_cmdline(char *buf, size_t size)
{
    /* The block is in/out: the host replaces the length with the number of bytes written. */
    volatile int block[2] = { (int)buf, (int)size };
    if (semihost_call(SEMIHOST_SYS_GET_CMDLINE, (const void *)block) != 0) {
        return -1;
    }
    return block[1];
}

void semihost_write0(const char *s)
{
    semihost_call(SEMIHOST_SYS_WRITE0, s);
}

void semihost_exit(int code)
{
    const int block[2] = { SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, code };
    semihost_call(SEMIHOST_SYS_EXIT_EXTENDED, block);
    for (;;) {
        /* A host that ignores the extended exit still gets a plain one. */
        semihost_call(SEMIHOST_SYS_EXIT, (const void *)SEMIHOST_ADP_STOPPED_APPLICATION_EXIT);
    }
}
