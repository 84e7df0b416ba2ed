#include <pkginit.h>
#include <stdlib.h>
#include <string.h>
#include "cache/cache.h"
#include "config/config.h"
#include "log/log.h"
#include "metrics/metrics.h"
#include "store/store.h"

static struct slot { char *key, *value; unsigned long used; } *slots;
static int nslots;
static unsigned long clock_;
static long *hits, *misses;

PKG_INIT void cache_init(void)
{
	nslots = (int)config_get_int("cache.size", 1, 4096);
	slots = calloc((size_t)nslots, sizeof *slots);
	if (!slots) abort();
	hits = metrics_counter("cache.hits");
	misses = metrics_counter("cache.misses");
	log_printf(LOG_DEBUG, "cache", "%d slots", nslots);
}

const char *cache_get(const char *key)
{
	int victim = 0;
	for (int i = 0; i < nslots; i++) {
		if (slots[i].key && !strcmp(slots[i].key, key)) {
			++*hits;
			slots[i].used = ++clock_;
			return slots[i].value;
		}
		if (slots[i].used < slots[victim].used) victim = i;
	}
	++*misses;
	const char *value = store_get(key);
	if (!value) return NULL;
	free(slots[victim].key);
	free(slots[victim].value);
	/* A copy: the store may replace its value later. */
	slots[victim] = (struct slot){strdup(key), strdup(value), ++clock_};
	return slots[victim].value;
}
