/* text/text.c - built with its own definition (TEXT_GREETING), which
 * the scan sees as the compiler does. */
#include <pkginit.h>
#include <stdio.h>
#include "text/text.h"

static const char *greeting;

PKG_INIT void text_init(void)
{
	greeting = TEXT_GREETING;
	puts("init text");
}

const char *text_greeting(void) { return greeting; }
