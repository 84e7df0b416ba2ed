#include <pkginit.h>
#include <stdio.h>
#include "log/log.h"

static FILE *log_out;
PKG_INIT void log_init(void) { log_out = stderr; }

void log_msg(const char *msg) { fprintf(log_out, "log: %s\n", msg); }
