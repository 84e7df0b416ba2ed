/* core/slab.c - a bump allocator over slabs of whole pages. */
#include "util/all.h"

#include <pkginit.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char *slab_base;
static size_t slab_size, slab_off;

/* The slab for `want` bytes: halve from a large guess until it fits the
 * budget, in whole pages (recursive). */
static size_t slab_fit(size_t guess, size_t want)
{
	if (guess / 2 < want || guess <= os_page_round(1)) return os_page_round(guess);
	return slab_fit(guess / 2, want);
}

void *slab_alloc(size_t size)
{
	if (slab_base == NULL) die("slab_alloc: the slab used before slab_init made it");
	size = (size + 15) / 16 * 16;
	if (size > slab_size - slab_off) return NULL;
	void *p = slab_base + slab_off;
	slab_off += size;
	return p;
}

size_t slab_used(void) { return slab_off; }

PKG_INIT void slab_init(void)
{
	slab_size = slab_fit((size_t)1 << 20, 16 * 1024);
	slab_base = calloc(1, slab_size);
	if (slab_base == NULL) die("slab_init: out of memory");
	log_set_level(MOD_SLAB, LOG_INFO);
	puts("slab_init: read pagesize (through os_page_round)");
}
