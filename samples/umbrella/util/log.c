/* util/log.c - the logger.  No init function: the table of levels is
 * filled by the subsystems' own init functions. */
#include "util/all.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int err_levels[MOD_COUNT];

static const char *const level_names[] = {"unset", "err", "warn", "info", "debug"};

void log_set_level(enum log_module m, enum log_level l)
{
	err_levels[m] = (int)l;
}

int log_enabled(enum log_module m, enum log_level l)
{
	return err_levels[m] >= (int)l;
}

void log_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			fputc(*p, stderr);
			continue;
		}
		switch (*++p) {
		case 's': fputs(va_arg(ap, const char *), stderr); break;
		case 'd': fprintf(stderr, "%d", va_arg(ap, int)); break;
		case 'u': fprintf(stderr, "%u", va_arg(ap, unsigned)); break;
		case 'p':
			if (p[1] == 'L') {
				const int *lv = va_arg(ap, const int *);
				p++;
				fputs(*lv >= 0 && *lv <= LOG_DEBUG ? level_names[*lv] : "?", stderr);
				break;
			}
			fprintf(stderr, "%p", va_arg(ap, void *));
			break;
		case '\0': p--; break;
		default: fputc(*p, stderr); break;
		}
	}
	va_end(ap);
}

void die(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "umbrella: fatal: %s\n", msg);
	abort();
}
