#include <pkginit.h>
#include <string.h>
#include "config/config.h"
#include "log/log.h"

static int answer;
PKG_INIT void config_init(void) { answer = 42; log_msg("config: loaded"); }

int config_get(const char *key) { return strcmp(key, "answer") ? -1 : answer; }
