/*
 * yaml.c - YAML files as a small tree, schema checks over it, and the
 * writer for pkginit's YAML formats.
 *
 * Reading.  libyaml's event parser does the lexing and parsing; this file
 * turns its events into a tree of scalars, sequences and mappings, each
 * carrying its line and column so a schema error can point at the exact
 * place in the file.  The tree holds only the subset of YAML our files
 * use.  Everything else is refused while reading, with one error at its
 * place:
 *   - anchors and aliases: a lock file has no use for them, and refusing
 *     them is what defeats "billion laughs" (an alias expanding to
 *     exponentially many nodes);
 *   - tags, because a tag changes what a scalar means;
 *   - a second document, since a reader would silently ignore it;
 *   - nesting deeper than YAML_MAX_DEPTH, so building and freeing the
 *     tree (recursive, hence bounded) never exhausts the stack however
 *     the input is crafted;
 *   - duplicate keys (YAML says they are an error; a silent "last wins"
 *     would hide a bad merge of a lock file) and non-scalar keys.
 * An empty or truncated file fails at the point where it ends: libyaml's
 * end-of-stream mark, or the end mark of the mapping that lacks a field.
 *
 * Checking.  The checkers print at most one error per document and then
 * go quiet (d->failed), which lets record.c and report.c read every field
 * in a straight line and test for failure once, instead of threading a
 * return code through each call.
 *
 * Writing is by hand rather than with yaml_emitter_*: libyaml's emitter
 * writes block sequences inside mappings without indentation and folds
 * long flow collections, while our formats are fixed by spec/formats.md.  The
 * hard part of hand-writing YAML is quoting, so the rule here is
 * deliberately conservative: a scalar is written plain only when it is
 * printable ASCII that no YAML 1.1 or 1.2 reader would take for anything
 * but that string (not a number, bool or null, no indicator characters,
 * nothing that ends a flow collection); everything else is double-quoted
 * with escapes.  Being conservative costs a few quotes and buys a file
 * any YAML tool reads the same way.
 */
#include "tool.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* ---- reading --------------------------------------------------------- */

struct yaml_rd {
	yaml_parser_t p;
	struct yaml_doc *d;
	const char *buf;
	size_t len;
	size_t nodes;           /* values built so far */
};

static struct loc yaml_mark(const struct yaml_rd *r, yaml_mark_t m)
{
	return (struct loc){r->d->path, (unsigned)m.line + 1,
			    (unsigned)m.column + 1};
}

/* libyaml's reader errors (bad encoding) carry only a byte offset. */
static struct loc yaml_offset_loc(const struct yaml_rd *r, size_t off)
{
	unsigned line = 1;
	size_t bol = 0;
	if (off > r->len) off = r->len;
	for (size_t i = 0; i < off; i++)
		if (r->buf[i] == '\n') line++, bol = i + 1;
	return (struct loc){r->d->path, line, (unsigned)(off - bol) + 1};
}

static void yaml_parser_failed(struct yaml_rd *r)
{
	const yaml_parser_t *p = &r->p;
	const char *problem = p->problem ? p->problem : "unknown error";
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		diag_die("out of memory reading '%s'", r->d->path);
	case YAML_READER_ERROR:
		if (p->problem_value != -1)
			diag_error(yaml_offset_loc(r, p->problem_offset),
				   "invalid YAML: %s (#x%X)", problem,
				   (unsigned)p->problem_value);
		else
			diag_error(yaml_offset_loc(r, p->problem_offset),
				   "invalid YAML: %s", problem);
		break;
	default:
		if (p->context)
			diag_error(yaml_mark(r, p->problem_mark),
				   "invalid YAML: %s (%s started at line %zu, "
				   "column %zu)", problem, p->context,
				   p->context_mark.line + 1,
				   p->context_mark.column + 1);
		else
			diag_error(yaml_mark(r, p->problem_mark),
				   "invalid YAML: %s", problem);
		break;
	}
}

static int yaml_next(struct yaml_rd *r, yaml_event_t *ev)
{
	if (yaml_parser_parse(&r->p, ev)) return 0;
	yaml_parser_failed(r);
	return EXIT_INPUT;
}

static void yaml_value_free(struct yaml_value *v)
{
	for (size_t i = 0; i < v->n; i++) yaml_value_free(&v->items[i]);
	free(v->items);
	free(v->str);
	free(v->key);
}

/* Anchors, tags and embedded NULs, wherever a node can carry them. */
static int yaml_check_node(struct yaml_rd *r, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	case YAML_ALIAS_EVENT:
		diag_error(yaml_mark(r, ev->start_mark),
			   "aliases are not supported (found '*%s')",
			   (const char *)ev->data.alias.anchor);
		return EXIT_INPUT;
	default:
		diag_error(yaml_mark(r, ev->start_mark),
			   "invalid YAML: expected a value");
		return EXIT_INPUT;
	}
	if (anchor) {
		diag_error(yaml_mark(r, ev->start_mark),
			   "anchors and aliases are not supported (found '&%s')",
			   (const char *)anchor);
		return EXIT_INPUT;
	}
	if (tag) {
		diag_error(yaml_mark(r, ev->start_mark),
			   "tags are not supported (found '%s')",
			   (const char *)tag);
		return EXIT_INPUT;
	}
	if (ev->type == YAML_SCALAR_EVENT &&
	    memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
		diag_error(yaml_mark(r, ev->start_mark),
			   "a NUL character in a string is not supported");
		return EXIT_INPUT;
	}
	return 0;
}

/* Duplicate keys: a mapping of up to YAML_SMALL_MAP keys (every flow
 * mapping of a record) is searched in place, a larger one through a
 * hash map of its keys.  A hash map per mapping cost more than the
 * search: yaml_build took 2.46G instructions on 2,000 records of 20
 * functions with a map per mapping, 2.35G with the search (callgrind). */
#define YAML_SMALL_MAP 16

static int yaml_seen(const struct yaml_value *map, const struct strmap *seen,
		     const char *key, size_t *first)
{
	if (map->n > YAML_SMALL_MAP) return strmap_get(seen, key, first);
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->items[i].key, key)) {
			*first = i;
			return 1;
		}
	return 0;
}

/* Build the node that starts with *ev (consumed, whatever happens) into
 * *out.  depth counts the collections around it. */
static int yaml_build(struct yaml_rd *r, yaml_event_t *ev, unsigned depth,
		      struct yaml_value *out)
{
	*out = (struct yaml_value){0};
	out->at = yaml_mark(r, ev->start_mark);
	int rc = yaml_check_node(r, ev);
	if (!rc && ++r->nodes > YAML_MAX_NODES) {
		/* The tree costs about 150 bytes a value: the file size
		 * limit alone would still let "[a,a,a..." take gigabytes. */
		diag_error(out->at, "more than %u values in one file is not "
			   "supported", YAML_MAX_NODES);
		rc = EXIT_INPUT;
	}
	if (rc) {
		yaml_event_delete(ev);
		return rc;
	}
	if (ev->type == YAML_SCALAR_EVENT) {
		out->kind = YAML_KIND_SCALAR;
		out->str = xstrndup((const char *)ev->data.scalar.value,
				    ev->data.scalar.length);
		out->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		out->end = yaml_mark(r, ev->end_mark);
		yaml_event_delete(ev);
		return 0;
	}
	int map = ev->type == YAML_MAPPING_START_EVENT;
	out->kind = map ? YAML_KIND_MAP : YAML_KIND_SEQ;
	yaml_event_delete(ev);
	if (depth + 1 > YAML_MAX_DEPTH) {
		diag_error(out->at, "nesting deeper than %d levels is not supported",
			   YAML_MAX_DEPTH);
		return EXIT_INPUT;
	}
	size_t cap = 0;
	struct strmap seen = {0};       /* key -> index, for duplicates */
	char *key = NULL;
	for (;;) {
		yaml_event_t e;
		if ((rc = yaml_next(r, &e))) break;
		if (e.type == YAML_SEQUENCE_END_EVENT ||
		    e.type == YAML_MAPPING_END_EVENT) {
			out->end = yaml_mark(r, e.start_mark);
			yaml_event_delete(&e);
			break;
		}
		struct loc key_at = {0};
		if (map) {
			key_at = yaml_mark(r, e.start_mark);
			if (e.type == YAML_SEQUENCE_START_EVENT ||
			    e.type == YAML_MAPPING_START_EVENT) {
				diag_error(key_at, "a mapping key must be a "
					   "string, not a %s",
					   e.type == YAML_SEQUENCE_START_EVENT
					   ? "sequence" : "mapping");
				yaml_event_delete(&e);
				rc = EXIT_INPUT;
				break;
			}
			if ((rc = yaml_check_node(r, &e))) {
				yaml_event_delete(&e);
				break;
			}
			key = xstrndup((const char *)e.data.scalar.value,
				       e.data.scalar.length);
			yaml_event_delete(&e);
			size_t first;
			if (yaml_seen(out, &seen, key, &first)) {
				diag_error(key_at, "duplicate key '%s'", key);
				diag_note(out->items[first].key_at,
					  "'%s' first appears here", key);
				rc = EXIT_INPUT;
				break;
			}
			if ((rc = yaml_next(r, &e))) break;
		}
		struct yaml_value child;
		rc = yaml_build(r, &e, depth + 1, &child);
		if (rc) {
			yaml_value_free(&child);
			break;
		}
		child.key = key;
		child.key_at = key_at;
		key = NULL;
		VEC_PUSH(out->items, out->n, cap, child);
		/* Past the small size every key so far goes into the map,
		 * then each new one. */
		for (size_t i = out->n == YAML_SMALL_MAP + 1 ? 0 : out->n - 1;
		     map && out->n > YAML_SMALL_MAP && i < out->n; i++)
			strmap_put(&seen, out->items[i].key, i);
	}
	free(key);
	strmap_free(&seen);
	return rc;
}

static int yaml_parse(struct yaml_rd *r)
{
	struct yaml_doc *d = r->d;
	yaml_event_t ev;
	int rc = yaml_next(r, &ev);             /* stream start */
	if (rc) return rc;
	yaml_event_delete(&ev);
	if ((rc = yaml_next(r, &ev))) return rc;
	if (ev.type == YAML_STREAM_END_EVENT) {
		diag_error(yaml_mark(r, ev.start_mark),
			   "the file is empty (no YAML document)");
		yaml_event_delete(&ev);
		return EXIT_INPUT;
	}
	yaml_event_delete(&ev);                 /* document start */
	if ((rc = yaml_next(r, &ev))) return rc;
	d->root = xcalloc(1, sizeof *d->root);
	if ((rc = yaml_build(r, &ev, 0, d->root))) return rc;
	if ((rc = yaml_next(r, &ev))) return rc;        /* document end */
	yaml_event_delete(&ev);
	if ((rc = yaml_next(r, &ev))) return rc;
	if (ev.type != YAML_STREAM_END_EVENT) {
		diag_error(yaml_mark(r, ev.start_mark),
			   "a second YAML document is not supported "
			   "(a file holds one document)");
		rc = EXIT_INPUT;
	}
	yaml_event_delete(&ev);
	return rc;
}

int yaml_load_mem(struct yaml_doc *d, const char *name, const char *buf,
		  size_t len)
{
	*d = (struct yaml_doc){.path = xstrdup(name)};
	struct yaml_rd r = {.d = d, .buf = buf, .len = len};
	if (!yaml_parser_initialize(&r.p)) diag_die("out of memory");
	yaml_parser_set_input_string(&r.p, (const unsigned char *)buf, len);
	int rc = yaml_parse(&r);
	yaml_parser_delete(&r.p);
	if (rc) yaml_doc_free(d);
	return rc;
}

int yaml_load_max(struct yaml_doc *d, const char *path, size_t max,
		  const char *what)
{
	size_t len;
	char *buf = file_read_max(path, max, &len);
	if (!buf) {
		*d = (struct yaml_doc){0};
		file_read_failed(path, errno, max, what);
		return EXIT_INPUT;
	}
	int rc = yaml_load_mem(d, path, buf, len);
	free(buf);
	return rc;
}

int yaml_load(struct yaml_doc *d, const char *path)
{
	return yaml_load_max(d, path, FILE_MAX_YAML, FILE_WHAT_YAML);
}

void yaml_doc_free(struct yaml_doc *d)
{
	if (d->root) yaml_value_free(d->root);
	free(d->root);
	free(d->path);
	*d = (struct yaml_doc){0};
}

/* ---- checking -------------------------------------------------------- */

const struct yaml_value *yaml_map_get(const struct yaml_value *map,
				      const char *key)
{
	if (!map || map->kind != YAML_KIND_MAP) return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->items[i].key, key)) return &map->items[i];
	return NULL;
}

void yaml_fail(struct yaml_doc *d, struct loc at, const char *fmt, ...)
{
	if (d->failed) return;
	d->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	diag_verror(at, fmt, ap);
	va_end(ap);
}

static const char *yaml_kind_name(enum yaml_kind k)
{
	return k == YAML_KIND_MAP ? "mapping" : k == YAML_KIND_SEQ ? "sequence"
								   : "scalar";
}

/* Plain scalars a YAML reader takes for null. */
static int yaml_is_null(const struct yaml_value *v)
{
	return v->plain && (!v->str[0] || !strcmp(v->str, "~") ||
			    !strcmp(v->str, "null") || !strcmp(v->str, "Null") ||
			    !strcmp(v->str, "NULL"));
}

char *yaml_str(struct yaml_doc *d, const struct yaml_value *v, const char *what)
{
	if (d->failed || !v) return NULL;
	if (v->kind != YAML_KIND_SCALAR || yaml_is_null(v)) {
		yaml_fail(d, v->at, "%s must be a string, not %s", what,
			  v->kind == YAML_KIND_SCALAR ? "null"
			  : v->kind == YAML_KIND_MAP ? "a mapping" : "a sequence");
		return NULL;
	}
	return xstrdup(v->str);
}

/* A plain decimal without sign or leading zero, so nothing YAML 1.1
 * would read as octal, and nothing that overflows. */
static int yaml_parse_uint(const struct yaml_value *v, unsigned *out)
{
	if (v->kind != YAML_KIND_SCALAR || !v->plain) return -1;
	const char *s = v->str;
	if (!s[0] || (s[0] == '0' && s[1])) return -1;
	unsigned long long n = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9') return -1;
		n = n * 10 + (unsigned)(*s - '0');
		if (n > UINT_MAX) return -1;
	}
	*out = (unsigned)n;
	return 0;
}

unsigned yaml_uint(struct yaml_doc *d, const struct yaml_value *v,
		   const char *what)
{
	if (d->failed || !v) return 0;
	unsigned n;
	if (yaml_parse_uint(v, &n) || n == 0) {
		yaml_fail(d, v->at, "%s must be a positive integer", what);
		return 0;
	}
	return n;
}

int yaml_bool(struct yaml_doc *d, const struct yaml_value *v, const char *what)
{
	if (d->failed || !v) return 0;
	if (v->kind == YAML_KIND_SCALAR && v->plain) {
		if (!strcmp(v->str, "true")) return 1;
		if (!strcmp(v->str, "false")) return 0;
	}
	yaml_fail(d, v->at, "%s must be true or false", what);
	return 0;
}

static const struct yaml_value *yaml_want(struct yaml_doc *d,
					  const struct yaml_value *v,
					  const char *what, enum yaml_kind k)
{
	if (d->failed || !v) return NULL;
	if (v->kind != k) {
		yaml_fail(d, v->at, "%s must be a %s, not a %s", what,
			  yaml_kind_name(k), yaml_kind_name(v->kind));
		return NULL;
	}
	return v;
}

const struct yaml_value *yaml_seq(struct yaml_doc *d, const struct yaml_value *v,
				  const char *what)
{
	return yaml_want(d, v, what, YAML_KIND_SEQ);
}

const struct yaml_value *yaml_map(struct yaml_doc *d, const struct yaml_value *v,
				  const char *what)
{
	return yaml_want(d, v, what, YAML_KIND_MAP);
}

const struct yaml_value *yaml_get(struct yaml_doc *d,
				  const struct yaml_value *map, const char *key)
{
	if (d->failed || !map) return NULL;
	const struct yaml_value *v = yaml_map_get(map, key);
	if (!v) {
		yaml_fail(d, map->end, "missing field '%s'", key);
		/* A block mapping ends where the next thing starts, which can
		 * be far from the mapping in question: say which one. */
		if (map != d->root && map->end.line != map->at.line)
			diag_note(map->at, "in the mapping that starts here");
	}
	return v;
}

/* "field 'key'" into buf (size bytes), or NULL when it does not fit.
 * Without printf or malloc: a record has a few fields per function, and
 * building each "what" with xasprintf (and record.c's "each item of")
 * was 14 % of reading records: record_read took 4.30G instructions on
 * 2,000 records of 20 functions, 3.71G without (callgrind, the project
 * of tests/bench_link.sh). */
static const char *yaml_field_what(char *buf, size_t size, const char *key)
{
	size_t n = strlen(key);
	if (n + sizeof "field ''" > size) return NULL;
	memcpy(buf, "field '", 7);
	memcpy(buf + 7, key, n);
	memcpy(buf + 7 + n, "'", 2);
	return buf;
}

/* The checkers take a "what"; for a field it is "field 'key'". */
#define YAML_GET_FIELD(type, fn, fail)                                      \
	{                                                                   \
		const struct yaml_value *v = yaml_get(d, map, key);         \
		if (!v) return fail;                                        \
		char buf[64];                                               \
		const char *what = yaml_field_what(buf, sizeof buf, key);   \
		if (what) return fn(d, v, what);                            \
		char *long_what = xasprintf("field '%s'", key);             \
		type r = fn(d, v, long_what);                               \
		free(long_what);                                            \
		return r;                                                   \
	}

char *yaml_get_str(struct yaml_doc *d, const struct yaml_value *map,
		   const char *key)
YAML_GET_FIELD(char *, yaml_str, NULL)

unsigned yaml_get_uint(struct yaml_doc *d, const struct yaml_value *map,
		       const char *key)
YAML_GET_FIELD(unsigned, yaml_uint, 0)

int yaml_get_bool(struct yaml_doc *d, const struct yaml_value *map,
		  const char *key)
YAML_GET_FIELD(int, yaml_bool, 0)

const struct yaml_value *yaml_get_seq(struct yaml_doc *d,
				      const struct yaml_value *map,
				      const char *key)
YAML_GET_FIELD(const struct yaml_value *, yaml_seq, NULL)

const struct yaml_value *yaml_get_map(struct yaml_doc *d,
				      const struct yaml_value *map,
				      const char *key)
YAML_GET_FIELD(const struct yaml_value *, yaml_map, NULL)

void yaml_check_fields(struct yaml_doc *d, const struct yaml_value *map,
		       const char *const *known)
{
	if (d->failed || !map || map->kind != YAML_KIND_MAP) return;
	for (size_t i = 0; i < map->n; i++) {
		const char *const *k = known;
		while (*k && strcmp(*k, map->items[i].key)) k++;
		if (!*k) {
			yaml_fail(d, map->items[i].key_at, "unknown field '%s'",
				  map->items[i].key);
			return;
		}
	}
}

const char *yaml_check_header(struct yaml_doc *d, const char *const *kinds)
{
	if (d->failed) return NULL;
	const struct yaml_value *root = d->root;
	if (root->kind != YAML_KIND_MAP) {
		yaml_fail(d, root->at, "not a pkginit file: expected a mapping "
			  "with 'pkginit: %d' at the top level", PKGINIT_FORMAT);
		return NULL;
	}
	/* The version first: a newer format may differ in any other way. */
	const struct yaml_value *ver = yaml_map_get(root, "pkginit");
	if (!ver) {
		yaml_fail(d, root->at, "not a pkginit file: missing field "
			  "'pkginit' (the format version)");
		return NULL;
	}
	unsigned n;
	if (yaml_parse_uint(ver, &n)) {
		yaml_fail(d, ver->at, "field 'pkginit' must be a positive integer "
			  "(the format version)");
		return NULL;
	}
	if (n != PKGINIT_FORMAT) {
		yaml_fail(d, ver->at, "unsupported format version %u (this pkginit "
			  "reads version %d); regenerate the file with this "
			  "pkginit", n, PKGINIT_FORMAT);
		return NULL;
	}
	char *kind = yaml_get_str(d, root, "kind");
	if (!kind) return NULL;
	for (const char *const *k = kinds; *k; k++)
		if (!strcmp(*k, kind)) {
			free(kind);
			return *k;
		}
	struct strbuf want = {0};
	for (const char *const *k = kinds; *k; k++)
		sb_printf(&want, "%s'%s'", k == kinds ? "" : k[1] ? ", " : " or ",
			  *k);
	yaml_fail(d, yaml_map_get(root, "kind")->at,
		  "wrong kind '%s': expected %s", kind, want.buf);
	sb_free(&want);
	free(kind);
	return NULL;
}

/* ---- writing --------------------------------------------------------- */

int yaml_needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (!n || s[0] == ' ' || s[n - 1] == ' ') return 1;
	/* Indicators, and what starts a number or a special float.  A
	 * leading '.' is fine ("." is a root) unless a number follows. */
	if (strchr("-?:,[]{}#&*!|>'\"%@`~+<=0123456789", s[0])) return 1;
	if (s[0] == '.' && ((s[1] >= '0' && s[1] <= '9') ||
			    !strcasecmp(s, ".inf") || !strcasecmp(s, ".nan")))
		return 1;
	/* Bytes that need quotes anywhere: control characters and non-ASCII;
	 * ':' and '#' start a value or a comment; ",[]{}" end a scalar
	 * inside a flow collection.  A table rather than strchr per byte:
	 * records are mostly paths, and that strchr was a third of writing
	 * one (callgrind, a warm scan of an Open vSwitch TU). */
	static const unsigned char quote[256] = {
		[0 ... 0x1f] = 1, [0x7f ... 0xff] = 1,
		[':'] = 1, ['#'] = 1, [','] = 1, ['['] = 1, [']'] = 1,
		['{'] = 1, ['}'] = 1,
	};
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (quote[*p]) return 1;
	/* YAML 1.1 booleans and nulls, in any case (none is longer than
	 * "false"). */
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null", NULL,
	};
	for (const char *const *w = words; n <= 5 && *w; w++)
		if (!strcasecmp(s, *w)) return 1;
	return 0;
}

/* Characters written as themselves inside double quotes: printable for
 * libyaml, and not a line break (NEL, LS, PS would be folded) or a BOM. */
static int yaml_printable(unsigned long c)
{
	return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff &&
					     c != 0x2028 && c != 0x2029) ||
	       (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) ||
	       (c >= 0x10000 && c <= 0x10ffff);
}

static void yaml_put_quoted(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		/* A run of printable ASCII that needs no escape, in one write:
		 * per byte, this was a third of writing a record with function
		 * facts from the cache (callgrind, an Open vSwitch TU). */
		const unsigned char *q = p;
		while (*q >= 0x20 && *q < 0x7f && *q != '"' && *q != '\\') q++;
		if (q > p) {
			fwrite(p, 1, (size_t)(q - p), f);
			p = q;
			continue;
		}
		unsigned long c;
		size_t n = utf8_decode(p, &c);
		if (!n) {               /* not UTF-8: the best YAML can do */
			fprintf(f, "\\x%02X", *p++);
			continue;
		}
		if (c == '"' || c == '\\') fprintf(f, "\\%c", (int)c);
		else if (c == '\t') fputs("\\t", f);
		else if (c == '\n') fputs("\\n", f);
		else if (c == '\r') fputs("\\r", f);
		else if (yaml_printable(c)) fwrite(p, 1, n, f);
		else if (c < 0x100) fprintf(f, "\\x%02lX", c);
		else if (c < 0x10000) fprintf(f, "\\u%04lX", c);
		else fprintf(f, "\\U%08lX", c);
		p += n;
	}
	fputc('"', f);
}

void yaml_put_str(FILE *f, const char *s)
{
	if (yaml_needs_quotes(s)) yaml_put_quoted(f, s);
	else fputs(s, f);
}

void yaml_put_str_seq(FILE *f, char *const *items, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i) fputs(", ", f);
		yaml_put_str(f, items[i]);
	}
	fputc(']', f);
}

const char *yaml_choice(struct yaml_doc *d, const struct yaml_value *v,
			const char *what, const char *const *choices)
{
	char *s = yaml_str(d, v, what);
	if (!s) return NULL;
	int i = opt_choice(choices, s);
	if (i < 0) {
		char *msg = opt_choice_problem(what, choices, s);
		yaml_fail(d, v->at, "%s", msg);
		free(msg);
	}
	free(s);
	return i < 0 ? NULL : choices[i];
}
