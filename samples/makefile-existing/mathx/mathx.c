/* mathx/mathx.c - built into libmathx.so with -fvisibility=hidden: its init
 * function is not exported, so only the library's own table can call it. */
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
