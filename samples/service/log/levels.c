#include <pkginit.h>
#include <string.h>
#include "log/log.h"

static const char *names[4];

/* log/levels.c sorts before log/log.c, so the names exist when log_init
 * parses log.level. */
PKG_INIT void log_levels_init(void)
{
	names[LOG_DEBUG] = "debug";
	names[LOG_INFO] = "info";
	names[LOG_WARN] = "warn";
	names[LOG_ERROR] = "error";
}

int log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (names[i] && !strcmp(names[i], name)) return i;
	return -1;
}

const char *log_level_name(enum log_level level) { return names[level]; }
