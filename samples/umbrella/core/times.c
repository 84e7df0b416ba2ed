/* core/times.c - the cached clock.  time_init must run first of all: the
 * OS layer records its boot time through time_now(). */
#include "util/all.h"

#include <pkginit.h>
#include <stdio.h>
#include <time.h>

long long cached_time;

long long time_now(void)
{
	if (cached_time == 0) die("time_now: cached_time read before time_init set it");
	return cached_time;
}

PKG_INIT void time_init(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) die("time_init: no clock");
	cached_time = (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (cached_time == 0) cached_time = 1;
	log_set_level(MOD_TIME, LOG_INFO);
	puts("time_init: cached_time set");
}
