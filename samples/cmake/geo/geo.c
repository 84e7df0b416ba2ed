/* geo/geo.c - imports mathx, in the library libgeo.so links. */
#include <pkginit.h>
#include <stdio.h>
#include "geo/geo.h"
#include "mathx/mathx.h"            /* geo imports mathx */

static int unit;

PKG_INIT void geo_init(void)
{
	unit = mathx_scale(1);      /* libmathx.so initialized first */
	puts("init geo");
}

int geo_area(int side) { return unit * side * side; }
