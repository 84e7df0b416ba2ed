/* app/app.c - imports geo (a shared library) and text (a static one). */
#include <pkginit.h>
#include <stdio.h>
#include "app/app.h"
#include "geo/geo.h"
#include "text/text.h"

static int area;

PKG_INIT void app_init(void)
{
	area = geo_area(APP_SIDE);  /* -DAPP_SIDE=2, this file's own */
	puts("init app");
}

void app_run(void) { printf("shapes: %s, area %d\n", text_greeting(), area); }
