#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "log/log.h"
#include "metrics/metrics.h"

static struct counter { char name[32]; long value; } *counters;
static int ncounters, maxcounters;

PKG_INIT void metrics_init(void)
{
	maxcounters = (int)config_get_int("metrics.max", 1, 1024);
	counters = calloc((size_t)maxcounters, sizeof *counters);
	if (!counters) abort();
	log_printf(LOG_DEBUG, "metrics", "room for %d counters", maxcounters);
}

long *metrics_counter(const char *name)
{
	for (int i = 0; i < ncounters; i++)
		if (!strcmp(counters[i].name, name)) return &counters[i].value;
	if (ncounters == maxcounters) {
		log_printf(LOG_ERROR, "metrics", "metrics.max = %d is too small", maxcounters);
		exit(1);
	}
	snprintf(counters[ncounters].name, sizeof counters[0].name, "%s", name);
	return &counters[ncounters++].value;
}

void metrics_write(char *buf, unsigned long size)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < ncounters && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s=%ld", i ? " " : "",
				      counters[i].name, counters[i].value);
}
