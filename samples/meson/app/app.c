/* app/app.c - imports mathx (a shared library) and text (a static one). */
#include <pkginit.h>
#include <stdio.h>
#include "app/app.h"
#include "mathx/mathx.h"
#include "text/text.h"

static int size;

PKG_INIT void app_init(void)
{
	size = mathx_scale(4);      /* libmathx.so initialized first */
	puts("init app");
}

void app_run(void) { printf("shapes: %s, size %d\n", text_greeting(), size); }
