#include <pkginit.h>
#include <stdio.h>
#include "b/b.h"

static const char *greeting;

PKG_INIT void b_init(void)
{
	puts("init b");
	greeting = "hello";
}

const char *b_greeting(void) { return greeting; }
