/* core/core.h - time, checksums, memory. */
#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/all.h"

/* times.c: the clock, read once at start-up and cached. */
extern long long cached_time;           /* ns since the epoch; 0 until time_init */
long long time_now(void);
void time_init(void);

/* crc32.c: CRC-32 (IEEE), table-driven. */
uint32_t crc32(const void *buf, size_t len);
void crc32_init(void);

/* slab.c: a bump allocator over page-sized slabs. */
void *slab_alloc(size_t size);
size_t slab_used(void);
void slab_init(void);

#endif
