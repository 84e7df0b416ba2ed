#include <pkginit.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "log/log.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "util/strutil.h"

struct item { struct item *next; char *key, *value; };

static struct item **buckets;
static unsigned long nbuckets;
static long *puts_total, *gets_total;

PKG_INIT void store_init(void)
{
	nbuckets = (unsigned long)config_get_int("store.buckets", 1, 1 << 20);
	buckets = calloc(nbuckets, sizeof *buckets);
	if (!buckets) abort();
	puts_total = metrics_counter("store.puts");
	gets_total = metrics_counter("store.gets");
	log_printf(LOG_DEBUG, "store", "%lu buckets", nbuckets);
}

/* A second init, in the same file: seed data every deployment has. */
PKG_INIT void store_seed_init(void)
{
	store_put("greeting", "hello from the store");
	store_put("motd", "pkginit orders inits like Go");
}

int store_put(const char *key, const char *value)
{
	struct item **b = &buckets[util_hash(key) % nbuckets], *it;
	++*puts_total;
	for (it = *b; it; it = it->next)
		if (!strcmp(it->key, key)) break;
	if (!it) {
		it = calloc(1, sizeof *it);
		if (!it || !(it->key = strdup(key))) abort();
		it->next = *b;
		*b = it;
	}
	free(it->value);
	it->value = strdup(value);
	return it->value ? 0 : -1;
}

const char *store_get(const char *key)
{
	++*gets_total;
	for (struct item *it = buckets[util_hash(key) % nbuckets]; it; it = it->next)
		if (!strcmp(it->key, key)) return it->value;
	return NULL;
}
