/* it-blocks.c built at -Os (see the Makefile): GCC picks different IT and branch shapes for size. */
#include "it-blocks.c"
