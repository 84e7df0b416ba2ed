/*
 * util.c - memory that never returns NULL, growable strings and arrays,
 * the tool's general hash map (keyed by strings or by pointers), and the
 * min-heap of indices both topological orders take their ready set from.
 * graph.c keeps a table of its own, measured for its one job.
 */
#include "tool.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) diag_die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) diag_die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) diag_die("out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (n < 0) diag_die("bad format string");
	return sb_detach(&sb);
}

void vec_reserve(void *items_p, size_t *cap, size_t need, size_t elem)
{
	void **items = items_p;
	if (need <= *cap) return;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2) diag_die("out of memory");
		n *= 2;
	}
	if (n > SIZE_MAX / elem) diag_die("out of memory");
	*items = xrealloc(*items, n * elem);
	*cap = n;
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	vec_reserve(&sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void sb_grow(struct strbuf *sb, size_t n)
{
	vec_reserve(&sb->buf, &sb->cap, sb->len + n + 1, 1);
	sb->buf[sb->len] = 0;
}

void sb_putc(struct strbuf *sb, char c) { sb_putn(sb, &c, 1); }
void sb_puts(struct strbuf *sb, const char *s) { sb_putn(sb, s, strlen(s)); }

/* Measure, then format into place: the one vsnprintf dance that
 * xasprintf, sb_printf and the diagnostics share. */
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		vec_reserve(&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		sb->len += (size_t)n;
	}
	return n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

/* For printers written against FILE * (record_write, the depfile's):
 * open_memstream, and its bytes appended to a strbuf at the end. */
void sb_stream_open(struct sb_stream *m)
{
	*m = (struct sb_stream){0};
	m->fp = open_memstream(&m->buf, &m->len);
	if (!m->fp) diag_die("out of memory (open_memstream: %s)", strerror(errno));
}

void sb_stream_close(struct sb_stream *m, struct strbuf *sb)
{
	if (fclose(m->fp) != 0) diag_die("out of memory (open_memstream)");
	sb_putn(sb, m->buf, m->len);
	free(m->buf);
	*m = (struct sb_stream){0};
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	*sb = (struct strbuf){0};
	return s;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	*sb = (struct strbuf){0};
}

/* ---- the hash map ------------------------------------------------------ */

/* One open-addressing table (linear probing, at most 3/4 full) behind
 * both faces: strmap keys are compared as strings, ptrmap keys as
 * addresses.  The face is passed down as by_str. */

/* XXH3 (libxxhash, which hash.c already uses): it reads a path eight
 * bytes at a time where FNV-1a took a multiply per byte, and map_slot
 * was the largest user-space item of a warm `pkginit scan` (8 % of its
 * time, perf; spec/performance.md). */
static size_t map_hash_str(const char *s)
{
	return (size_t)XXH3_64bits(s, strlen(s));
}

/* Addresses differ in their middle bits (objects are aligned and come
 * from one arena): a multiply-xorshift mix spreads them over the low
 * bits the mask keeps. */
static size_t map_hash_ptr(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

static size_t map_slot(const struct map *m, const void *key, int by_str)
{
	size_t mask = m->cap - 1;
	size_t i = (by_str ? map_hash_str(key) : map_hash_ptr(key)) & mask;
	while (m->keys[i] && (by_str ? strcmp(m->keys[i], key) != 0
				     : m->keys[i] != key))
		i = (i + 1) & mask;
	return i;
}

static int map_get(const struct map *m, const void *key, size_t *val,
		   int by_str)
{
	if (!m->cap) return 0;
	size_t i = map_slot(m, key, by_str);
	if (!m->keys[i]) return 0;
	if (val) *val = m->vals[i];
	return 1;
}

static void map_put(struct map *m, const void *key, size_t val, int by_str);

static void map_grow(struct map *m, int by_str)
{
	struct map old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->len = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i]) map_put(m, old.keys[i], old.vals[i], by_str);
	free(old.keys);
	free(old.vals);
}

static void map_put(struct map *m, const void *key, size_t val, int by_str)
{
	if ((m->len + 1) * 4 > m->cap * 3) map_grow(m, by_str);
	size_t i = map_slot(m, key, by_str);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->len++;
	}
	m->vals[i] = val;
}

static void map_free(struct map *m)
{
	free(m->keys);
	free(m->vals);
	*m = (struct map){0};
}

int strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	return map_get(&m->m, key, val, 1);
}

void strmap_put(struct strmap *m, const char *key, size_t val)
{
	map_put(&m->m, key, val, 1);
}

void strmap_free(struct strmap *m) { map_free(&m->m); }

int ptrmap_get(const struct ptrmap *m, const void *key, size_t *val)
{
	return map_get(&m->m, key, val, 0);
}

void ptrmap_put(struct ptrmap *m, const void *key, size_t val)
{
	map_put(&m->m, key, val, 0);
}

void ptrmap_free(struct ptrmap *m) { map_free(&m->m); }

/* ---- the min-heap ------------------------------------------------------ */

/* What the heap orders v by: key[v], or v itself. */
static inline size_t heap_key(const struct heap *h, size_t v)
{
	return h->key ? h->key[v] : v;
}

void heap_push(struct heap *h, size_t v)
{
	size_t i = h->n++, kv = heap_key(h, v);
	while (i) {
		size_t parent = (i - 1) / 2;
		if (heap_key(h, h->a[parent]) <= kv) break;
		h->a[i] = h->a[parent];
		i = parent;
	}
	h->a[i] = v;
}

size_t heap_pop(struct heap *h)
{
	size_t top = h->a[0], v = h->a[--h->n], kv = heap_key(h, v), i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n) break;
		if (c + 1 < h->n && heap_key(h, h->a[c + 1]) < heap_key(h, h->a[c])) c++;
		if (kv <= heap_key(h, h->a[c])) break;
		h->a[i] = h->a[c];
		i = c;
	}
	if (h->n) h->a[i] = v;
	return top;
}

int str_cmp(const char *a, const char *b)
{
	if (!a || !b) return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int cmp_strp(const void *a, const void *b)
{
	return str_cmp(*(char *const *)a, *(char *const *)b);
}

/* One UTF-8 sequence: yaml.c quotes by it, path.c checks package paths
 * with it, sarif.c writes JSON strings with it. */
size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
	unsigned long c = s[0], min;
	size_t n;
	if (c < 0x80) { *cp = c; return 1; }
	if ((c & 0xe0) == 0xc0) n = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0) n = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0) n = 4, c &= 0x07, min = 0x10000;
	else return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
	*cp = c;
	return n;
}
