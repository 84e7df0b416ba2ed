/* core/crc32.c - CRC-32 with a table built at start-up, laid out for the
 * machine's cache line (so it needs os_init). */
#include "util/all.h"

#include <pkginit.h>
#include <stdio.h>

static uint32_t crc_table[256];
static size_t crc_block;                /* bytes per prefetch step */

/* The bits of v, low `bits` of them, in reverse order (recursive). */
static uint32_t reflect(uint32_t v, int bits)
{
	if (bits == 0) return 0;
	return ((v & 1) << (bits - 1)) | reflect(v >> 1, bits - 1);
}

uint32_t crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t c = 0xffffffffu;
	if (crc_block == 0) die("crc32: the table read before crc32_init built it");
	for (size_t i = 0; i < len; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

PKG_INIT void crc32_init(void)
{
	if (cacheline == 0) die("crc32_init: cacheline read before os_init set it");
	for (int s = 0; s < MOD_COUNT; s++)
		if (s != MOD_NET && err_levels[s] == LOG_UNSET)
			die("crc32_init: err_levels read before the subsystems set them");
	crc_block = cacheline;
	uint32_t poly = reflect(0x04c11db7u, 32);
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	if (log_enabled(MOD_OS, LOG_DEBUG)) log_fmt("crc32: block %u\n", (unsigned)crc_block);
	puts("crc32_init: read cacheline and err_levels");
}
