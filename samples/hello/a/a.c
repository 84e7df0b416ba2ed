#include <pkginit.h>
#include <stdio.h>
#include "a/a.h"
#include "b/b.h"                /* a imports b */

static char message[64];

PKG_INIT void a_init(void)
{
	puts("init a");
	/* b's init has run: its greeting is ready. */
	snprintf(message, sizeof message, "%s, world", b_greeting());
}

const char *a_message(void) { return message; }
