#include <pkginit.h>
#include <pkgrt.h>
#include "out/out.h"

static int lines = -1;          /* -1 until out's init has run */

void out_line(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	pkgrt_write(1, s, n);
	pkgrt_write(1, "\n", 1);
	lines++;
}

int out_lines(void) { return lines; }

PKG_INIT void out_init(void)
{
	lines = 0;
	out_line("init out");
}
