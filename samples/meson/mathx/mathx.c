/* mathx/mathx.c - a hidden init function: only libmathx.so's own table
 * can call it, and does, when the library is loaded. */
#include <pkginit.h>
#include <stdio.h>
#include "mathx/mathx.h"

static int factor;

PKG_INIT void mathx_init(void)
{
	factor = 3;
	puts("init mathx");
}

int mathx_scale(int x) { return factor * x; }
