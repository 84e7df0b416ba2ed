#include <pkginit.h>
#include "greet/greet.h"
#include "out/out.h"            /* greet imports out */

static char message[32];

PKG_INIT void greet_init(void)
{
	static const char hello[] = "hello, world";

	out_line("init greet");
	/* out_init ran before this (greet imports out): its count started at 0. */
	for (unsigned i = 0; i < sizeof hello; i++)
		message[i] = hello[i];
}

const char *greet_message(void) { return message; }
