/*
 * bin.c - the little-endian binary encoding that the scan cache stores
 * records in (record.c encodes a record, cache.c frames an entry): fixed
 * width integers and length-prefixed strings, read back by a reader that
 * checks every length against the bytes left, so damaged or hostile bytes
 * can neither read out of bounds nor ask for a huge allocation.
 *
 * Go's counterpart is encoding/binary's little-endian ByteOrder, with the
 * bounds checks of internal/pkgbits' decoder.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

void bin_put_u32(struct strbuf *b, uint32_t v)
{
	char x[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
	sb_putn(b, x, 4);
}

void bin_put_u64(struct strbuf *b, uint64_t v)
{
	bin_put_u32(b, (uint32_t)v);
	bin_put_u32(b, (uint32_t)(v >> 32));
}

/* NULL is written as the length UINT32_MAX, which no string can have. */
void bin_put_str(struct strbuf *b, const char *s)
{
	if (!s) {
		bin_put_u32(b, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	bin_put_u32(b, (uint32_t)n);
	sb_putn(b, s, n);
}

void bin_put_blob(struct strbuf *b, const void *p, size_t n)
{
	bin_put_u64(b, (uint64_t)n);
	sb_putn(b, p, n);
}

uint32_t bin_u32(struct bin_rd *d)
{
	if (d->bad || d->end - d->p < 4) {
		d->bad = 1;
		return 0;
	}
	uint32_t v = (uint32_t)d->p[0] | (uint32_t)d->p[1] << 8 |
		     (uint32_t)d->p[2] << 16 | (uint32_t)d->p[3] << 24;
	d->p += 4;
	return v;
}

uint64_t bin_u64(struct bin_rd *d)
{
	uint64_t lo = bin_u32(d);
	return lo | (uint64_t)bin_u32(d) << 32;
}

size_t bin_count(struct bin_rd *d, size_t min)
{
	uint32_t n = bin_u32(d);
	if (!d->bad && (size_t)(d->end - d->p) / (min ? min : 1) < n) d->bad = 1;
	return d->bad ? 0 : n;
}

char *bin_str(struct bin_rd *d, int nullable)
{
	uint32_t n = bin_u32(d);
	if (d->bad) return NULL;
	if (n == UINT32_MAX && nullable) return NULL;
	if ((size_t)(d->end - d->p) < n || memchr(d->p, 0, n)) {
		d->bad = 1;
		return NULL;
	}
	char *s = xstrndup((const char *)d->p, n);
	d->p += n;
	return s;
}

int bin_bytes(struct bin_rd *d, void *out, size_t n)
{
	if (d->bad || (size_t)(d->end - d->p) < n) {
		d->bad = 1;
		return -1;
	}
	memcpy(out, d->p, n);
	d->p += n;
	return 0;
}

const void *bin_blob(struct bin_rd *d, size_t *n)
{
	uint64_t len = bin_u64(d);
	if (d->bad || (uint64_t)(d->end - d->p) < len) {
		d->bad = 1;
		*n = 0;
		return NULL;
	}
	const void *p = d->p;
	d->p += len;
	*n = (size_t)len;
	return p;
}
