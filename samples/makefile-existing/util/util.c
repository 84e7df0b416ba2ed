/* util/util.c - initializes after mathx, which it imports. */
#include <pkginit.h>
#include <stdio.h>
#include "util/util.h"
#include "mathx/mathx.h"            /* util imports mathx */

static int base;

PKG_INIT void util_init(void)
{
	base = mathx_scale(2);      /* libmathx.so's table ran first */
	puts("init util");
}

int util_base(void) { return base; }
