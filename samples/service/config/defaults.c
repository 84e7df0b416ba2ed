#include <pkginit.h>
#include "config/config.h"


/* Runs after config_init (config/config.c sorts before config/defaults.c):
 * fills in what the file left out. */
PKG_INIT void config_defaults_init(void)
{
	config_set("log.level", "info");
	config_set("log.file", "-");
	config_set("store.buckets", "16");
	config_set("cache.size", "4");
	config_set("metrics.max", "16");
	config_set("auth.users", "");
}
