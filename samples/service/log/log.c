#include <pkginit.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "log/log.h"

static FILE *out;
static int threshold;

PKG_INIT void log_init(void)
{
	const char *file = config_get("log.file");
	out = strcmp(file, "-") ? fopen(file, "a") : stderr;
	if (!out) {
		fprintf(stderr, "log: cannot open %s: %s\n", file, strerror(errno));
		exit(1);
	}
	threshold = log_level_parse(config_get("log.level"));
	if (threshold < 0) {
		fprintf(stderr, "log: %s: unknown log.level '%s'\n", config_path(),
			config_get("log.level"));
		exit(1);
	}
	log_printf(LOG_DEBUG, "log", "writing to %s at level %s", file,
		   log_level_name(threshold));
}

void log_printf(enum log_level level, const char *pkg, const char *fmt, ...)
{
	if ((int)level < threshold) return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(out, "%-5s %-8s ", log_level_name(level), pkg);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	va_end(ap);
}
