/* util/log.h - levels per subsystem, a small printf-like logger, die(). */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include "util/all.h"

enum log_module { MOD_TIME, MOD_OS, MOD_SLAB, MOD_NET, MOD_COUNT };
enum log_level { LOG_UNSET, LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* The level of each subsystem.  Each subsystem's init function sets its
 * own entry: several init functions write this table, none of them
 * needs the others to have run. */
extern int err_levels[MOD_COUNT];

void log_set_level(enum log_module m, enum log_level l);
int log_enabled(enum log_module m, enum log_level l);

/* printf-like: %s, %d, %u, and %pL, which takes a pointer to a level
 * (an entry of err_levels) and prints its name. */
void log_fmt(const char *fmt, ...);

/* Print "umbrella: fatal: MSG" and abort. */
_Noreturn void die(const char *msg);

#endif
