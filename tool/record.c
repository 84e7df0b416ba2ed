/*
 * record.c - scan records as YAML files, and Make depfiles.
 *
 * A scan record is what `pkginit scan` knows about one translation unit
 * (see struct scan_record).  It is written in a fixed field order, one
 * flow mapping per list item, so records diff well and the same record
 * always gives the same bytes.
 *
 * Reading is strict, because a record is an input to `link` that nothing
 * else validates: every field must be present with its type, unknown
 * fields are errors (a misspelt field must not be ignored), and the
 * record must be consistent with itself: every file that an init, an
 * annotation, an include or main names is one of its `files` or its TU
 * (graph.c maps files to packages through that list).  The first problem is reported
 * at its line in the record and nothing is returned, so a caller never
 * sees half a record.  The lists are re-sorted into the order tool.h
 * promises: a record written by pkginit is already in that order, and a
 * hand-edited one must not change the result by being out of it.
 *
 * The same record has a binary form for the scan cache (record_encode,
 * record_decode), kept here beside the YAML one so that a new field is
 * written, read, sorted and freed in this one file.
 *
 * Function facts (written only when the TU was scanned with them) are
 * the bulk of a large record: hundreds of thousands of references in a
 * large codebase.  Each function is one flow mapping whose references
 * are one string, "KL:NAME@LINE:COL ..." (kind c/a/r/w, linkage e/s;
 * spec/formats.md), so that a record stays a few YAML events per
 * function and the references are read by a loop here instead of as
 * YAML nodes.
 *
 * Ownership: record_free frees every string, source included (record_read
 * copies the path).  main_at.file is never freed: it points at the
 * record's own tu or at one of its files[].path.
 */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing --------------------------------------------------------- */

static void record_put_annots(FILE *f, const char *field,
			      const struct scan_annot *a, size_t n)
{
	fprintf(f, "%s:%s\n", field, n ? "" : " []");
	for (size_t i = 0; i < n; i++) {
		fputs("  - {path: ", f);
		yaml_put_str(f, a[i].path);
		fputs(", file: ", f);
		yaml_put_str(f, a[i].file);
		fprintf(f, ", line: %u, column: %u}\n", a[i].line, a[i].col);
	}
}

/* "@LINE:COL" into buf (room for two 10-digit numbers); its length. */
static size_t record_line_col(char *buf, unsigned line, unsigned col)
{
	char tmp[10];
	size_t n = 0;
	unsigned v[2] = {line, col};
	for (int k = 0; k < 2; k++) {
		buf[n++] = k ? ':' : '@';
		size_t t = 0;
		do tmp[t++] = (char)('0' + v[k] % 10); while (v[k] /= 10);
		while (t) buf[n++] = tmp[--t];
	}
	return n;
}

void record_write(FILE *f, const struct scan_record *r)
{
	fprintf(f, "pkginit: %d\nkind: scan\ntu: ", PKGINIT_FORMAT);
	yaml_put_str(f, r->tu);
	fputs("\nroots: ", f);
	yaml_put_str_seq(f, r->roots, r->nroots);
	fprintf(f, "\ndefines_main: %s\n", r->defines_main ? "true" : "false");
	if (r->defines_main) {
		fputs("main: {file: ", f);
		yaml_put_str(f, r->main_at.file ? r->main_at.file : r->tu);
		fprintf(f, ", line: %u, column: %u}\n", r->main_at.line,
			r->main_at.col);
	}
	fprintf(f, "files:%s\n", r->nfiles ? "" : " []");
	for (size_t i = 0; i < r->nfiles; i++) {
		fputs("  - {path: ", f);
		yaml_put_str(f, r->files[i].path);
		fputs(", name: ", f);
		yaml_put_str(f, r->files[i].name);
		fputs(", package: ", f);
		yaml_put_str(f, r->files[i].package);
		fputs("}\n", f);
	}
	fprintf(f, "inits:%s\n", r->ninits ? "" : " []");
	for (size_t i = 0; i < r->ninits; i++) {
		fputs("  - {name: ", f);
		yaml_put_str(f, r->inits[i].name);
		fputs(", file: ", f);
		yaml_put_str(f, r->inits[i].file);
		fprintf(f, ", line: %u, column: %u%s}\n", r->inits[i].line,
			r->inits[i].col,
			r->inits[i].returns_int ? ", returns: int" : "");
	}
	record_put_annots(f, "imports", r->imports, r->nimports);
	record_put_annots(f, "packages", r->packages, r->npackages);
	fprintf(f, "includes:%s\n", r->nincludes ? "" : " []");
	for (size_t i = 0; i < r->nincludes; i++) {
		fputs("  - {from: ", f);
		yaml_put_str(f, r->includes[i].from);
		fprintf(f, ", line: %u, to: ", r->includes[i].line);
		yaml_put_str(f, r->includes[i].to);
		fputs("}\n", f);
	}
	fputs("deps: ", f);
	yaml_put_str_seq(f, r->deps, r->ndeps);
	fputc('\n', f);
	if (r->nafters) fputs("afters:\n", f);
	for (size_t i = 0; i < r->nafters; i++) {
		const struct scan_after *a = &r->afters[i];
		fputs("  - {init: ", f);
		yaml_put_str(f, a->init);
		fputs(", after: ", f);
		yaml_put_str(f, a->after);
		fputs(", file: ", f);
		yaml_put_str(f, a->file);
		fprintf(f, ", line: %u, column: %u}\n", a->line, a->col);
	}
	if (!r->has_facts) return;
	fprintf(f, "facts: true\nfunctions:%s\n", r->nfuncs ? "" : " []");
	struct strbuf uses = {0};
	for (size_t i = 0; i < r->nfuncs; i++) {
		const struct scan_func *fn = &r->funcs[i];
		fputs("  - {name: ", f);
		yaml_put_str(f, fn->name);
		fputs(", file: ", f);
		yaml_put_str(f, fn->file);
		/* fputs and record_line_col, not fprintf: a record from the
		 * cache has hundreds of functions (callgrind: fprintf was a
		 * fifth of writing one). */
		char num[2 * 10 + 3];
		size_t n = record_line_col(num, fn->line, fn->col);
		size_t colon = (size_t)(strchr(num, ':') - num);
		fputs(", line: ", f);
		fwrite(num + 1, 1, colon - 1, f);
		fputs(", column: ", f);
		fwrite(num + colon + 1, 1, n - colon - 1, f);
		fputs(fn->is_static ? ", static: true, " : ", static: false, ", f);
		fputs(fn->is_table ? "table: true, uses: " : "uses: ", f);
		uses.len = 0;
		if (uses.buf) uses.buf[0] = 0;
		/* "%s%c%c:%s@%u:%u" per use, without printf: formatting was
		 * a quarter of writing such a record from the cache. */
		for (size_t j = 0; j < fn->nrefs; j++) {
			const struct scan_ref *x = &fn->refs[j];
			char num[2 * 10 + 3];
			if (j) sb_putc(&uses, ' ');
			sb_putc(&uses, (char)x->kind);
			sb_putc(&uses, x->is_static ? 's' : 'e');
			sb_putc(&uses, ':');
			sb_puts(&uses, x->name);
			sb_putn(&uses, num, record_line_col(num, x->line, x->col));
		}
		yaml_put_str(f, uses.buf ? uses.buf : "");
		fputs("}\n", f);
	}
	sb_free(&uses);
}

void record_text(struct strbuf *b, const struct scan_record *r)
{
	struct sb_stream m;
	sb_stream_open(&m);
	record_write(m.fp, r);
	sb_stream_close(&m, b);
}

/* ---- depfile --------------------------------------------------------- */

/* Make's quoting, as gcc's mkdeps.cc does it: '$' doubles; a space or tab
 * gets a backslash, and so does each backslash just before it (Make reads
 * 2N+1 backslashes and a space as N backslashes and a space); '#' gets a
 * backslash.  Other characters (':', '%', newlines) cannot be quoted for
 * Make at all, by gcc or anyone. */
char *record_munge(const char *s)
{
	struct strbuf sb = {0};
	size_t slashes = 0;
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			slashes++;
			sb_putc(&sb, '\\');
			continue;
		case '$':
			sb_putc(&sb, '$');
			break;
		case ' ':
		case '\t':
			for (; slashes; slashes--) sb_putc(&sb, '\\');
			sb_putc(&sb, '\\');
			break;
		case '#':
			sb_putc(&sb, '\\');
			break;
		}
		slashes = 0;
		sb_putc(&sb, *s);
	}
	return sb_detach(&sb);
}

/* Lines are wrapped as gcc wraps them (72 columns), so a depfile from
 * pkginit looks like one from the compiler. */
#define RECORD_DEP_COLS 72

static void record_dep_word(FILE *f, const char *name, size_t *col)
{
	char *m = record_munge(name);
	size_t n = strlen(m);
	if (*col + n > RECORD_DEP_COLS) {
		fputs(" \\\n", f);
		*col = 0;
	}
	fputc(' ', f);
	fputs(m, f);
	*col += n + 1;
	free(m);
}

void record_write_depfile(FILE *f, const struct scan_record *r,
			  const char *target, int phony)
{
	/* The target comes from -MT, which (as with gcc) is not quoted. */
	fprintf(f, "%s:", target);
	size_t col = strlen(target) + 1;
	record_dep_word(f, r->tu, &col);
	for (size_t i = 0; i < r->ndeps; i++)
		if (strcmp(r->deps[i], r->tu)) record_dep_word(f, r->deps[i], &col);
	fputc('\n', f);
	if (!phony) return;
	/* Phony rules keep Make going when a header is deleted. */
	for (size_t i = 0; i < r->ndeps; i++) {
		if (!strcmp(r->deps[i], r->tu)) continue;
		char *m = record_munge(r->deps[i]);
		fprintf(f, "%s:\n", m);
		free(m);
	}
}

/* ---- the order of a record's lists ------------------------------------
 *
 * One definition for the scanner, which produces the lists, and the
 * reader, which re-sorts a hand-edited record: the order is part of the
 * format. */

int record_cmp_file(const void *a, const void *b)
{
	const struct scan_file *x = a, *y = b;
	return str_cmp(x->path, y->path);
}

static int record_cmp_init(const void *a, const void *b)
{
	const struct scan_init *x = a, *y = b;
	int c = str_cmp(x->file, y->file);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	return str_cmp(x->name, y->name);
}

static int record_cmp_annot(const void *a, const void *b)
{
	const struct scan_annot *x = a, *y = b;
	int c = str_cmp(x->file, y->file);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	return str_cmp(x->path, y->path);
}

static int record_cmp_include(const void *a, const void *b)
{
	const struct scan_include *x = a, *y = b;
	int c = str_cmp(x->from, y->from);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	return str_cmp(x->to, y->to);
}

static int record_cmp_func(const void *a, const void *b)
{
	const struct scan_func *x = a, *y = b;
	int c = str_cmp(x->file, y->file);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	return str_cmp(x->name, y->name);
}

/* By kind, name and linkage, then first use: the first of a run of equal
 * (kind, name, linkage) is the first use. */
static int record_cmp_ref(const void *a, const void *b)
{
	const struct scan_ref *x = a, *y = b;
	if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
	int c = str_cmp(x->name, y->name);
	if (c) return c;
	if (x->is_static != y->is_static) return x->is_static < y->is_static ? -1 : 1;
	return 0;
}

/* record_cmp_ref, then the place: sorting with this puts a run's first
 * use first. */
static int record_cmp_ref_at(const void *a, const void *b)
{
	int c = record_cmp_ref(a, b);
	if (c) return c;
	const struct scan_ref *x = a, *y = b;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

static int record_cmp_after(const void *a, const void *b)
{
	const struct scan_after *x = a, *y = b;
	int c = str_cmp(x->file, y->file);
	if (c) return c;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	c = str_cmp(x->init, y->init);
	return c ? c : str_cmp(x->after, y->after);
}

/* ---- reading --------------------------------------------------------- */

/* ---- the values a record may hold ----------------------------------
 *
 * A record is untrusted input: what link writes into C comes from it.
 * Every value is checked for what the scanner could have produced, so
 * the table can only ever hold that: init functions are C identifiers
 * the table may declare, package paths and root-relative names are
 * clean paths, file paths are not empty and hold no control character.
 * The YAML reader, the cache's decoder and the scanner (for names) use
 * the same checks. */

/* Is c a character of a C identifier (ASCII letters, digits and '_';
 * the first not a digit)?  The one spelling of the class, for the checks
 * below and the fast reader's words. */
static int record_ident_char(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

const char *record_name_problem(const char *s)
{
	if (!*s) return "it is empty";
	for (const char *p = s; *p; p++) {
		if (!record_ident_char(*p, p == s))
			return "it is not a C identifier (ASCII letters, digits "
			       "and '_', not starting with a digit)";
	}
	return emit_reserved(s);
}

static const char *record_path_problem(const char *s)
{
	if (!*s) return "it is empty";
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "it contains a control character";
	return NULL;
}

/* A file's package: a package path, or "." for a file at a root. */
const char *record_package_problem(const char *s)
{
	return strcmp(s, ".") ? path_package_problem(s) : NULL;
}

/* A value as a message shows it: at most 80 bytes, control characters
 * as \xNN, so a hostile record cannot write to the terminal. */
char *record_shown(const char *s)
{
	struct strbuf sb = {0};
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
		if (n == 80) {
			sb_puts(&sb, "...");
			break;
		}
		if (*p < 0x20 || *p == 0x7f) sb_printf(&sb, "\\x%02x", *p);
		else sb_putc(&sb, (char)*p);
	}
	return sb_detach(&sb);
}

/* "invalid WHAT 'VALUE': WHY" (allocated) when problem finds one. */
static char *record_value_problem(const char *what, const char *val,
				  const char *(*problem)(const char *))
{
	const char *why = val ? problem(val) : NULL;
	if (!why) return NULL;
	char *shown = record_shown(val);
	char *msg = xasprintf("invalid %s '%s': %s", what, shown, why);
	free(shown);
	return msg;
}

/* The first problem with any value of r, or NULL: for the cache's
 * decoder, whose input has no lines to point at. */
static char *record_values_problem(const struct scan_record *r)
{
	char *m = record_value_problem("tu", r->tu, record_path_problem);
	for (size_t i = 0; !m && i < r->nroots; i++)
		m = record_value_problem("root", r->roots[i], record_path_problem);
	for (size_t i = 0; !m && i < r->nfiles; i++)
		if (!(m = record_value_problem("file path", r->files[i].path,
					       record_path_problem)) &&
		    !(m = record_value_problem("file name", r->files[i].name,
					       path_package_problem)))
			m = record_value_problem("package", r->files[i].package,
						 record_package_problem);
	for (size_t i = 0; !m && i < r->ninits; i++)
		m = record_value_problem("init function name", r->inits[i].name,
					 record_name_problem);
	for (size_t i = 0; !m && i < r->nimports; i++)
		m = record_value_problem("package path", r->imports[i].path,
					 path_package_problem);
	for (size_t i = 0; !m && i < r->npackages; i++)
		m = record_value_problem("package path", r->packages[i].path,
					 path_package_problem);
	for (size_t i = 0; !m && i < r->ndeps; i++)
		m = record_value_problem("dependency", r->deps[i],
					 record_path_problem);
	return m;
}

/* What reading needs besides the record: the document, and the files
 * by path for the consistency checks. */
struct record_rd {
	struct yaml_doc d;
	struct strmap files;
	const char *tu;
};

void record_check(struct yaml_doc *d, const struct yaml_value *at,
		  const char *what, const char *val,
		  const char *(*problem)(const char *))
{
	if (d->failed || !at) return;
	char *msg = record_value_problem(what, val, problem);
	if (msg) yaml_fail(d, at->at, "%s", msg);
	free(msg);
}

/* The item of a list field: a mapping with exactly these fields. */
static const struct yaml_value *record_item(struct record_rd *rd,
					    const struct yaml_value *v,
					    const char *field,
					    const char *const *fields)
{
	/* The message only when it is needed: a record has an item per
	 * function (yaml.c's yaml_field_what has the figures). */
	const struct yaml_value *m = v;
	if (v->kind != YAML_KIND_MAP) {
		char *what = xasprintf("each item of '%s'", field);
		m = yaml_map(&rd->d, v, what);
		free(what);
	} else if (rd->d.failed) {
		m = NULL;
	}
	yaml_check_fields(&rd->d, m, fields);
	return m;
}

/* A file field that must name one of the record's files, or its TU
 * (scan reads the TU even when it lies outside every root, and then it
 * is not among the files). */
static char *record_file_ref(struct record_rd *rd, const struct yaml_value *m,
			     const char *key, const char *what)
{
	char *s = yaml_get_str(&rd->d, m, key);
	if (s && !strmap_get(&rd->files, s, NULL) && str_cmp(s, rd->tu))
		yaml_fail(&rd->d, yaml_map_get(m, key)->at,
			  "%s '%s' is not one of the record's 'files'", what, s);
	return s;
}

static void record_read_files(struct record_rd *rd, const struct yaml_value *seq,
			      struct scan_record *r)
{
	static const char *const fields[] = {"path", "name", "package", NULL};
	if (!seq) return;
	r->files = xcalloc(seq->n, sizeof *r->files);
	r->nfiles = seq->n;
	for (size_t i = 0; i < seq->n; i++) {
		const struct yaml_value *m =
			record_item(rd, &seq->items[i], "files", fields);
		struct scan_file *f = &r->files[i];
		f->path = yaml_get_str(&rd->d, m, "path");
		f->name = yaml_get_str(&rd->d, m, "name");
		f->package = yaml_get_str(&rd->d, m, "package");
		record_check(&rd->d, yaml_map_get(m, "path"), "file path", f->path,
			     record_path_problem);
		record_check(&rd->d, yaml_map_get(m, "name"), "file name", f->name,
			     path_package_problem);
		record_check(&rd->d, yaml_map_get(m, "package"), "package",
			     f->package, record_package_problem);
		if (!f->path || rd->d.failed) continue;
		size_t first;
		if (strmap_get(&rd->files, f->path, &first)) {
			yaml_fail(&rd->d, yaml_map_get(m, "path")->at,
				  "file '%s' is listed twice in 'files'", f->path);
			diag_note(seq->items[first].at, "first listed here");
		}
		strmap_put(&rd->files, f->path, i);
	}
}

static void record_read_annots(struct record_rd *rd, const struct yaml_value *seq,
			       const char *field, const char *what,
			       struct scan_annot **out, size_t *n)
{
	static const char *const fields[] = {"path", "file", "line", "column",
					     NULL};
	if (!seq) return;
	struct scan_annot *a = xcalloc(seq->n, sizeof *a);
	*out = a;
	*n = seq->n;
	for (size_t i = 0; i < seq->n; i++) {
		const struct yaml_value *m =
			record_item(rd, &seq->items[i], field, fields);
		a[i].path = yaml_get_str(&rd->d, m, "path");
		record_check(&rd->d, yaml_map_get(m, "path"), "package path",
			     a[i].path, path_package_problem);
		a[i].file = record_file_ref(rd, m, "file", what);
		a[i].line = yaml_get_uint(&rd->d, m, "line");
		a[i].col = yaml_get_uint(&rd->d, m, "column");
	}
}

static void record_read_strs(struct record_rd *rd, const struct yaml_value *seq,
			     const char *field, char ***out, size_t *n)
{
	if (!seq) return;
	*out = xcalloc(seq->n, sizeof **out);
	*n = seq->n;
	char *what = xasprintf("each item of '%s'", field);
	for (size_t i = 0; i < seq->n; i++) {
		(*out)[i] = yaml_str(&rd->d, &seq->items[i], what);
		record_check(&rd->d, &seq->items[i], field, (*out)[i],
			     record_path_problem);
	}
	free(what);
}

int record_is_name(const char *s, size_t n, int dotted)
{
	int dot = 0;
	if (!n) return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		int start = i == 0 || s[i - 1] == '.';
		if (ch == '.' && dotted && !dot && !start && i + 1 < n) {
			dot = 1;
			continue;
		}
		if (!record_ident_char(ch, start)) return 0;
	}
	return 1;
}

static unsigned record_parse_uint(const char **p)
{
	unsigned long v = 0;
	const char *s = *p;
	while (*s >= '0' && *s <= '9' && v <= 0xffffffffUL) v = v * 10 + (unsigned long)(*s++ - '0');
	if (s == *p || v == 0 || v > 0xffffffffUL) return 0;
	*p = s;
	return (unsigned)v;
}

/* "KL:NAME@LINE:COL ..." into fn->refs; 0, or -1 with *bad at the
 * offending reference. */
static int record_parse_uses(const char *s, struct scan_func *fn,
			     const char **bad)
{
	size_t cap = 0;
	while (*s) {
		const char *start = *bad = s;
		struct scan_ref r = {0};
		if (!strchr("cawr", s[0]) || !s[0] || (s[1] != 'e' && s[1] != 's') ||
		    s[2] != ':')
			return -1;
		r.kind = s[0];
		r.is_static = s[1] == 's';
		s += 3;
		const char *at = strchr(s, '@');
		if (!at) return -1;
		int var = r.kind == SCAN_REF_READ || r.kind == SCAN_REF_WRITE;
		if (!record_is_name(s, (size_t)(at - s), var)) return -1;
		r.name = xstrndup(s, (size_t)(at - s));
		s = at + 1;
		r.line = record_parse_uint(&s);
		if (!r.line || *s != ':') goto bad;
		s++;
		r.col = record_parse_uint(&s);
		if (!r.col || (*s && *s != ' ') || (*s == ' ' && !s[1])) goto bad;
		if (*s) s++;
		VEC_PUSH(fn->refs, fn->nrefs, cap, r);
		continue;
bad:
		free(r.name);
		*bad = start;
		return -1;
	}
	return 0;
}

static void record_read_funcs(struct record_rd *rd, const struct yaml_value *seq,
			      struct scan_record *r)
{
	static const char *const fields[] = {"name", "file", "line", "column",
					     "static", "table", "uses", NULL};
	if (!seq) return;
	r->funcs = xcalloc(seq->n ? seq->n : 1, sizeof *r->funcs);
	r->nfuncs = seq->n;
	for (size_t i = 0; i < seq->n && !rd->d.failed; i++) {
		const struct yaml_value *m =
			record_item(rd, &seq->items[i], "functions", fields);
		struct scan_func *fn = &r->funcs[i];
		fn->name = yaml_get_str(&rd->d, m, "name");
		fn->file = record_file_ref(rd, m, "file", "function file");
		fn->line = yaml_get_uint(&rd->d, m, "line");
		fn->col = yaml_get_uint(&rd->d, m, "column");
		fn->is_static = yaml_get_bool(&rd->d, m, "static");
		const struct yaml_value *tv = yaml_map_get(m, "table");
		if (tv) fn->is_table = yaml_bool(&rd->d, tv, "field 'table'");
		if (fn->name && !record_is_name(fn->name, strlen(fn->name), 0))
			yaml_fail(&rd->d, yaml_map_get(m, "name")->at,
				  "function name '%s' is not a C identifier", fn->name);
		const struct yaml_value *u = yaml_map_get(m, "uses");
		if (!u) {
			yaml_get(&rd->d, m, "uses");
			continue;
		}
		const char *bad = NULL;
		if (u->kind != YAML_KIND_SCALAR)
			yaml_fail(&rd->d, u->at, "field 'uses' must be a string");
		else if (record_parse_uses(u->str, fn, &bad))
			yaml_fail(&rd->d, u->at, "field 'uses': bad reference "
				  "'%.*s' (want KIND LINKAGE:NAME@LINE:COLUMN, "
				  "e.g. 're:counter@12:5')",
				  (int)strcspn(bad, " "), bad);
		for (size_t j = 0; fn->is_table && j < fn->nrefs && !rd->d.failed; j++)
			if (fn->refs[j].kind != SCAN_REF_CALL &&
			    fn->refs[j].kind != SCAN_REF_ADDR)
				yaml_fail(&rd->d, u->at, "field 'uses': a table refers "
					  "to functions only, not '%c%c:%s'",
					  fn->refs[j].kind, fn->refs[j].is_static ? 's' : 'e',
					  fn->refs[j].name);
	}
}

static void record_read_afters(struct record_rd *rd,
			       const struct yaml_value *seq,
			       struct scan_record *r)
{
	static const char *const fields[] = {"init", "after", "file", "line",
					     "column", NULL};
	if (!seq) return;
	r->afters = xcalloc(seq->n ? seq->n : 1, sizeof *r->afters);
	r->nafters = seq->n;
	for (size_t i = 0; i < seq->n; i++) {
		const struct yaml_value *m =
			record_item(rd, &seq->items[i], "afters", fields);
		struct scan_after *a = &r->afters[i];
		a->init = yaml_get_str(&rd->d, m, "init");
		a->after = yaml_get_str(&rd->d, m, "after");
		a->file = record_file_ref(rd, m, "file", "PKG_AFTER file");
		a->line = yaml_get_uint(&rd->d, m, "line");
		a->col = yaml_get_uint(&rd->d, m, "column");
		const char *key = NULL, *v = NULL;
		if (a->init && !record_is_name(a->init, strlen(a->init), 0))
			key = "init", v = a->init;
		else if (a->after && !record_is_name(a->after, strlen(a->after), 0))
			key = "after", v = a->after;
		if (key)
			yaml_fail(&rd->d, yaml_map_get(m, key)->at,
				  "field '%s': '%s' is not a C identifier", key, v);
	}
}

static void record_read_main(struct record_rd *rd, const struct yaml_value *root,
			     struct scan_record *r)
{
	static const char *const fields[] = {"file", "line", "column", NULL};
	const struct yaml_value *m = yaml_map_get(root, "main");
	if (!r->defines_main) {
		if (m)
			yaml_fail(&rd->d, m->key_at, "field 'main' is given but "
				  "'defines_main' is false");
		return;
	}
	m = yaml_get_map(&rd->d, root, "main");
	yaml_check_fields(&rd->d, m, fields);
	char *file = yaml_get_str(&rd->d, m, "file");
	r->main_at.line = yaml_get_uint(&rd->d, m, "line");
	r->main_at.col = yaml_get_uint(&rd->d, m, "column");
	if (!file) return;
	/* Point at a string the record owns, so main_at needs no freeing. */
	size_t i;
	if (r->tu && !strcmp(file, r->tu)) r->main_at.file = r->tu;
	else if (strmap_get(&rd->files, file, &i)) r->main_at.file = r->files[i].path;
	else yaml_fail(&rd->d, yaml_map_get(m, "file")->at, "main's file '%s' "
		       "is not one of the record's 'files'", file);
	free(file);
}

/* An init's optional 'returns': int for an init function that can fail,
 * void (the default, which the writer leaves out) for one that cannot.
 * Optional so that records written before it existed still read. */
static int record_read_returns(struct record_rd *rd, const struct yaml_value *m)
{
	const struct yaml_value *v = yaml_map_get(m, "returns");
	if (!v) return 0;
	char *s = yaml_str(&rd->d, v, "field 'returns'");
	int is_int = s && !strcmp(s, "int");
	if (s && !is_int && strcmp(s, "void"))
		yaml_fail(&rd->d, v->at, "field 'returns' must be 'int' or "
			  "'void', not '%s'", s);
	free(s);
	return is_int;
}

/* ---- reading the functions of a record as scan writes them -------------
 *
 * libyaml takes about 60 instructions a byte, and the functions are
 * most of a large record's bytes.  What record_write writes for them is
 * one line per function in a fixed form, which a loop reads at a few
 * instructions a byte.  So when a record ends with "functions:" and
 * lines of exactly that form (plain names and paths, plain integers,
 * the references in double quotes without escapes), libyaml reads what
 * comes before and record_fast_funcs the rest; the record is then what
 * the full reading gives.  Anything else (another layout, quotes,
 * comments, a check that fails) is read again in full, with
 * diagnostics, so that what is accepted and every message stay those
 * of the YAML reader. */

/* The offset of the line "functions:" when the record may be read that
 * way, else 0: it starts as scan writes it (so its root is a block
 * mapping whose keys start lines), and no document marker comes before,
 * so the part before is the same mapping without its last key. */
static size_t record_fast_split(const char *buf, size_t len)
{
	static const char key[] = "\nfunctions:\n";
	if (len < 9 || memcmp(buf, "pkginit: ", 9)) return 0;
	const char *k = memmem(buf, len, key, sizeof key - 1);
	if (!k) return 0;
	size_t split = (size_t)(k - buf) + 1;
	if (memmem(buf, split, "\n---", 4) || memmem(buf, split, "\n...", 4))
		return 0;
	return split;
}

static int record_fast_lit(const char **p, const char *end, const char *lit,
			   size_t n)
{
	if ((size_t)(end - *p) < n || memcmp(*p, lit, n)) return 0;
	*p += n;
	return 1;
}
#define RECORD_FAST_LIT(p, end, lit) record_fast_lit(p, end, lit, sizeof lit - 1)

/* A plain scalar that is the same string to every YAML reader: an
 * identifier, or (path) a path of identifier characters and "./-+"
 * that starts with a letter, '_' or '/'; never one that reads as null. */
static char *record_fast_word(const char **p, const char *end, int path)
{
	const char *s = *p;
	if (s >= end || !(record_ident_char(*s, 1) || (path && *s == '/'))) return NULL;
	while (s < end && (record_ident_char(*s, 0) ||
			   (path && (*s == '.' || *s == '/' || *s == '-' || *s == '+'))))
		s++;
	size_t n = (size_t)(s - *p);
	if ((n == 4 && (!memcmp(*p, "null", 4) || !memcmp(*p, "Null", 4) ||
			!memcmp(*p, "NULL", 4))))
		return NULL;
	char *w = xstrndup(*p, n);
	*p = s;
	return w;
}

/* yaml_uint's integers: plain decimal, no leading zero, 1..UINT_MAX. */
static unsigned record_fast_uint(const char **p, const char *end)
{
	const char *s = *p;
	unsigned long long v = 0;
	if (s >= end || *s < '1' || *s > '9') return 0;
	while (s < end && *s >= '0' && *s <= '9' && v <= 0xffffffffULL)
		v = v * 10 + (unsigned)(*s++ - '0');
	if (v > 0xffffffffULL) return 0;
	*p = s;
	return (unsigned)v;
}

/* The function lines from p to end into r->funcs; on anything not of
 * the form, rd->d.failed (nothing is printed: the caller reads again). */
static void record_fast_funcs(struct record_rd *rd, const char *p,
			      const char *end, struct scan_record *r)
{
	size_t n = 0;
	for (const char *q = p; q < end; q++) n += *q == '\n';
	r->funcs = xcalloc(n ? n : 1, sizeof *r->funcs);
	r->nfuncs = n;
	struct strbuf uses = {0};
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		struct scan_func *fn = &r->funcs[i];
		const char *bad = NULL;
		ok = RECORD_FAST_LIT(&p, end, "  - {name: ") &&
			 (fn->name = record_fast_word(&p, end, 0)) &&
			 RECORD_FAST_LIT(&p, end, ", file: ") &&
			 (fn->file = record_fast_word(&p, end, 1)) &&
			 (strmap_get(&rd->files, fn->file, NULL) || !str_cmp(fn->file, rd->tu)) &&
			 RECORD_FAST_LIT(&p, end, ", line: ") &&
			 (fn->line = record_fast_uint(&p, end)) &&
			 RECORD_FAST_LIT(&p, end, ", column: ") &&
			 (fn->col = record_fast_uint(&p, end)) &&
			 RECORD_FAST_LIT(&p, end, ", static: ");
		if (ok && RECORD_FAST_LIT(&p, end, "true"))
			fn->is_static = 1;
		else
			ok = ok && RECORD_FAST_LIT(&p, end, "false");
		if (ok && RECORD_FAST_LIT(&p, end, ", table: true"))
			fn->is_table = 1;
		ok = ok && RECORD_FAST_LIT(&p, end, ", uses: \"");
		const char *u = p;
		while (ok && p < end && *p >= 0x20 && *p <= 0x7e && *p != '"' && *p != '\\')
			p++;
		if (ok) {
			uses.len = 0;
			sb_putn(&uses, u, (size_t)(p - u));
			ok = RECORD_FAST_LIT(&p, end, "\"}\n") &&
			     !record_parse_uses(uses.buf, fn, &bad);
		}
		/* A table refers to functions only (the YAML reader says
		 * so at its line). */
		for (size_t j = 0; ok && fn->is_table && j < fn->nrefs; j++)
			ok = fn->refs[j].kind == SCAN_REF_CALL ||
			     fn->refs[j].kind == SCAN_REF_ADDR;
	}
	/* Every line read, and nothing after the last one. */
	if (!ok || p != end) rd->d.failed = 1;
	sb_free(&uses);
}

/* The record in buf; with split, the part before it through libyaml and
 * the functions after it through record_fast_funcs. */
static int record_read_mem(const char *path, const char *buf, size_t len,
			   size_t split, struct scan_record *r)
{
	static const char *const kinds[] = {"scan", NULL};
	static const char *const fields[] = {
		"pkginit", "kind", "tu", "roots", "defines_main", "main", "files",
		"inits", "imports", "packages", "includes", "deps", "afters",
		"facts", "functions", NULL,
	};
	static const char *const init_fields[] = {"name", "file", "line",
						  "column", "returns", NULL};
	static const char *const incl_fields[] = {"from", "line", "to", NULL};

	*r = (struct scan_record){0};
	struct record_rd rd = {0};
	int rc = yaml_load_mem(&rd.d, path, buf, split ? split : len);
	if (rc) return rc;
	struct yaml_doc *d = &rd.d;
	const struct yaml_value *root = d->root;
	yaml_check_header(d, kinds);
	yaml_check_fields(d, root, fields);

	r->tu = yaml_get_str(d, root, "tu");
	record_check(&rd.d, yaml_map_get(root, "tu"), "tu", r->tu,
		     record_path_problem);
	rd.tu = r->tu;
	record_read_strs(&rd, yaml_get_seq(d, root, "roots"), "roots",
			 &r->roots, &r->nroots);
	r->defines_main = yaml_get_bool(d, root, "defines_main");
	/* Files first: the fields below refer to them. */
	record_read_files(&rd, yaml_get_seq(d, root, "files"), r);
	record_read_main(&rd, root, r);

	const struct yaml_value *seq = yaml_get_seq(d, root, "inits");
	if (seq) {
		r->inits = xcalloc(seq->n, sizeof *r->inits);
		r->ninits = seq->n;
	}
	for (size_t i = 0; seq && i < seq->n; i++) {
		const struct yaml_value *m =
			record_item(&rd, &seq->items[i], "inits", init_fields);
		struct scan_init *in = &r->inits[i];
		in->name = yaml_get_str(d, m, "name");
		record_check(&rd.d, yaml_map_get(m, "name"), "init function name",
			     in->name, record_name_problem);
		in->file = record_file_ref(&rd, m, "file", "init file");
		in->line = yaml_get_uint(d, m, "line");
		in->col = yaml_get_uint(d, m, "column");
		in->returns_int = record_read_returns(&rd, m);
	}
	record_read_annots(&rd, yaml_get_seq(d, root, "imports"), "imports",
			   "import file", &r->imports, &r->nimports);
	record_read_annots(&rd, yaml_get_seq(d, root, "packages"), "packages",
			   "package file", &r->packages, &r->npackages);

	seq = yaml_get_seq(d, root, "includes");
	if (seq) {
		r->includes = xcalloc(seq->n, sizeof *r->includes);
		r->nincludes = seq->n;
	}
	for (size_t i = 0; seq && i < seq->n; i++) {
		const struct yaml_value *m =
			record_item(&rd, &seq->items[i], "includes", incl_fields);
		struct scan_include *inc = &r->includes[i];
		inc->from = record_file_ref(&rd, m, "from", "including file");
		inc->line = yaml_get_uint(d, m, "line");
		inc->to = record_file_ref(&rd, m, "to", "included file");
	}
	record_read_strs(&rd, yaml_get_seq(d, root, "deps"), "deps", &r->deps,
			 &r->ndeps);
	const struct yaml_value *v = yaml_map_get(root, "afters");
	if (v) record_read_afters(&rd, yaml_seq(d, v, "field 'afters'"), r);
	if ((v = yaml_map_get(root, "facts")))
		r->has_facts = yaml_bool(d, v, "field 'facts'");
	v = yaml_map_get(root, "functions");
	if (v && !r->has_facts)
		yaml_fail(d, v->key_at, "field 'functions' is given but 'facts' "
			  "is not true");
	if (split && (v || !r->has_facts))
		d->failed = 1;  /* two 'functions', or no facts: read in full */
	else if (split && !d->failed)
		record_fast_funcs(&rd, buf + split + sizeof "functions:\n" - 1,
				  buf + len, r);
	else if (r->has_facts)
		record_read_funcs(&rd, yaml_get_seq(d, root, "functions"), r);

	rc = d->failed ? EXIT_INPUT : 0;
	strmap_free(&rd.files);
	yaml_doc_free(d);
	if (rc) {
		record_free(r);
		return rc;
	}
	record_normalize(r);
	r->source = xstrdup(path);
	return 0;
}

int record_read(const char *path, struct scan_record *r)
{
	size_t len;
	char *buf = file_read_max(path, FILE_MAX_YAML, &len);
	if (!buf) {
		*r = (struct scan_record){0};
		/* yaml_load_max's message */
		file_read_failed(path, errno, FILE_MAX_YAML, FILE_WHAT_YAML);
		return EXIT_INPUT;
	}
	size_t split = record_fast_split(buf, len);
	int rc = -1;
	if (split) {
		diag_quiet(1);
		rc = record_read_mem(path, buf, len, split, r);
		diag_quiet(0);
	}
	if (rc) rc = record_read_mem(path, buf, len, 0, r);
	free(buf);
	return rc;
}

/* ---- one home for each item's memory ---------------------------------- */

static void record_drop_file(void *p)
{
	struct scan_file *x = p;
	free(x->path);
	free(x->name);
	free(x->package);
}

static void record_drop_init(void *p)
{
	struct scan_init *x = p;
	free(x->name);
	free(x->file);
}

static void record_drop_annot(void *p)
{
	struct scan_annot *x = p;
	free(x->path);
	free(x->file);
}

static void record_drop_include(void *p)
{
	struct scan_include *x = p;
	free(x->from);
	free(x->to);
}

static void record_drop_str(void *p) { free(*(char **)p); }

static void record_drop_ref(void *p) { free(((struct scan_ref *)p)->name); }

static void record_drop_all(void *arr, size_t n, size_t elem,
			    void (*drop)(void *));

static void record_drop_func(void *p)
{
	struct scan_func *x = p;
	free(x->name);
	free(x->file);
	record_drop_all(x->refs, x->nrefs, sizeof *x->refs, record_drop_ref);
}

static void record_drop_after(void *p)
{
	struct scan_after *x = p;
	free(x->init);
	free(x->after);
	free(x->file);
}

/* Free n items of size elem at arr, then arr. */
static void record_drop_all(void *arr, size_t n, size_t elem,
			    void (*drop)(void *))
{
	for (size_t i = 0; i < n; i++) drop((char *)arr + i * elem);
	free(arr);
}

void record_free(struct scan_record *r)
{
	free(r->tu);
	free(r->source);
	record_drop_all(r->roots, r->nroots, sizeof *r->roots, record_drop_str);
	record_drop_all(r->files, r->nfiles, sizeof *r->files, record_drop_file);
	record_drop_all(r->inits, r->ninits, sizeof *r->inits, record_drop_init);
	record_drop_all(r->imports, r->nimports, sizeof *r->imports,
			record_drop_annot);
	record_drop_all(r->packages, r->npackages, sizeof *r->packages,
			record_drop_annot);
	record_drop_all(r->includes, r->nincludes, sizeof *r->includes,
			record_drop_include);
	record_drop_all(r->deps, r->ndeps, sizeof *r->deps, record_drop_str);
	record_drop_all(r->funcs, r->nfuncs, sizeof *r->funcs, record_drop_func);
	record_drop_all(r->afters, r->nafters, sizeof *r->afters,
			record_drop_after);
	*r = (struct scan_record){0};
}

/* Sort n items with sort, then drop each one that same says equals the
 * one before it (same may be coarser than sort: the first of a run is
 * kept). */
static void record_sort_unique2(void *arr, size_t *n, size_t elem,
				int (*sort)(const void *, const void *),
				int (*same)(const void *, const void *),
				void (*drop)(void *))
{
	if (*n < 2) return;
	/* What scan writes is sorted already: check before sorting.  glibc's
	 * qsort (a merge sort, stable) leaves sorted input as it is, so
	 * this changes nothing; on 2,000 generated records record_normalize
	 * took 109M instructions sorting, 47M checking (callgrind). */
	char *a = arr;
	size_t i = 1;
	while (i < *n && sort(a + (i - 1) * elem, a + i * elem) <= 0) i++;
	if (i < *n) qsort(arr, *n, elem, sort);
	int (*cmp)(const void *, const void *) = same;
	size_t keep = 1;
	for (size_t i = 1; i < *n; i++) {
		char *x = a + i * elem;
		if (!cmp(a + (keep - 1) * elem, x)) {
			drop(x);
			continue;
		}
		if (keep != i) memcpy(a + keep * elem, x, elem);
		keep++;
	}
	*n = keep;
}

static void record_sort_unique(void *arr, size_t *n, size_t elem,
			       int (*cmp)(const void *, const void *),
			       void (*drop)(void *))
{
	record_sort_unique2(arr, n, elem, cmp, cmp, drop);
}

void record_normalize(struct scan_record *r)
{
	record_sort_unique(r->files, &r->nfiles, sizeof *r->files,
			   record_cmp_file, record_drop_file);
	record_sort_unique(r->inits, &r->ninits, sizeof *r->inits,
			   record_cmp_init, record_drop_init);
	record_sort_unique(r->imports, &r->nimports, sizeof *r->imports,
			   record_cmp_annot, record_drop_annot);
	record_sort_unique(r->packages, &r->npackages, sizeof *r->packages,
			   record_cmp_annot, record_drop_annot);
	record_sort_unique(r->includes, &r->nincludes, sizeof *r->includes,
			   record_cmp_include, record_drop_include);
	record_sort_unique(r->deps, &r->ndeps, sizeof *r->deps, cmp_strp,
			   record_drop_str);
	record_sort_unique(r->afters, &r->nafters, sizeof *r->afters,
			   record_cmp_after, record_drop_after);
	/* A static inline function of a header included twice is one. */
	record_sort_unique(r->funcs, &r->nfuncs, sizeof *r->funcs,
			   record_cmp_func, record_drop_func);
	for (size_t i = 0; i < r->nfuncs; i++)
		record_sort_unique2(r->funcs[i].refs, &r->funcs[i].nrefs,
				    sizeof *r->funcs[i].refs, record_cmp_ref_at,
				    record_cmp_ref, record_drop_ref);
}

const char *record_own_path(const struct scan_record *r, const char *path)
{
	if (r->tu && !strcmp(path, r->tu)) return r->tu;
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) return r->files[i].path;
	return NULL;
}

/* ---- binary form, for the scan cache ---------------------------------- */

void record_encode(struct strbuf *b, const struct scan_record *r)
{
	bin_put_str(b, r->tu);
	bin_put_u32(b, (uint32_t)r->nroots);
	for (size_t i = 0; i < r->nroots; i++) bin_put_str(b, r->roots[i]);
	bin_put_u32(b, (uint32_t)r->nfiles);
	for (size_t i = 0; i < r->nfiles; i++) {
		bin_put_str(b, r->files[i].path);
		bin_put_str(b, r->files[i].name);
		bin_put_str(b, r->files[i].package);
	}
	bin_put_u32(b, (uint32_t)r->ninits);
	for (size_t i = 0; i < r->ninits; i++) {
		bin_put_str(b, r->inits[i].name);
		bin_put_str(b, r->inits[i].file);
		bin_put_u32(b, r->inits[i].line);
		bin_put_u32(b, r->inits[i].col);
		bin_put_u32(b, (uint32_t)r->inits[i].returns_int);
	}
	const struct scan_annot *lists[2] = {r->imports, r->packages};
	size_t counts[2] = {r->nimports, r->npackages};
	for (int k = 0; k < 2; k++) {
		bin_put_u32(b, (uint32_t)counts[k]);
		for (size_t i = 0; i < counts[k]; i++) {
			bin_put_str(b, lists[k][i].path);
			bin_put_str(b, lists[k][i].file);
			bin_put_u32(b, lists[k][i].line);
			bin_put_u32(b, lists[k][i].col);
		}
	}
	bin_put_u32(b, (uint32_t)r->nincludes);
	for (size_t i = 0; i < r->nincludes; i++) {
		bin_put_str(b, r->includes[i].from);
		bin_put_u32(b, r->includes[i].line);
		bin_put_str(b, r->includes[i].to);
	}
	bin_put_u32(b, (uint32_t)r->defines_main);
	bin_put_str(b, r->defines_main ? r->main_at.file : NULL);
	bin_put_u32(b, r->main_at.line);
	bin_put_u32(b, r->main_at.col);
	bin_put_u32(b, (uint32_t)r->ndeps);
	for (size_t i = 0; i < r->ndeps; i++) bin_put_str(b, r->deps[i]);
	bin_put_u32(b, (uint32_t)r->nafters);
	for (size_t i = 0; i < r->nafters; i++) {
		bin_put_str(b, r->afters[i].init);
		bin_put_str(b, r->afters[i].after);
		bin_put_str(b, r->afters[i].file);
		bin_put_u32(b, r->afters[i].line);
		bin_put_u32(b, r->afters[i].col);
	}
	bin_put_u32(b, (uint32_t)r->has_facts);
	bin_put_u32(b, (uint32_t)r->nfuncs);
	for (size_t i = 0; i < r->nfuncs; i++) {
		const struct scan_func *fn = &r->funcs[i];
		bin_put_str(b, fn->name);
		bin_put_str(b, fn->file);
		bin_put_u32(b, fn->line);
		bin_put_u32(b, fn->col);
		bin_put_u32(b, (uint32_t)fn->is_static | (uint32_t)fn->is_table << 1);
		bin_put_u32(b, (uint32_t)fn->nrefs);
		for (size_t j = 0; j < fn->nrefs; j++) {
			const struct scan_ref *x = &fn->refs[j];
			bin_put_str(b, x->name);
			bin_put_u32(b, (uint32_t)(unsigned char)x->kind |
					       (uint32_t)x->is_static << 8);
			bin_put_u32(b, x->line);
			bin_put_u32(b, x->col);
		}
	}
}

int record_decode(const void *buf, size_t len, struct scan_record *r)
{
	struct bin_rd d = {buf, (const unsigned char *)buf + len, 0};
	*r = (struct scan_record){0};
	r->tu = bin_str(&d, 0);
	r->nroots = bin_count(&d, 4);
	r->roots = xcalloc(r->nroots, sizeof *r->roots);
	for (size_t i = 0; i < r->nroots; i++) r->roots[i] = bin_str(&d, 0);
	r->nfiles = bin_count(&d, 12);
	r->files = xcalloc(r->nfiles, sizeof *r->files);
	for (size_t i = 0; i < r->nfiles; i++) {
		r->files[i].path = bin_str(&d, 0);
		r->files[i].name = bin_str(&d, 0);
		r->files[i].package = bin_str(&d, 0);
	}
	r->ninits = bin_count(&d, 20);
	r->inits = xcalloc(r->ninits, sizeof *r->inits);
	for (size_t i = 0; i < r->ninits; i++) {
		r->inits[i].name = bin_str(&d, 0);
		r->inits[i].file = bin_str(&d, 0);
		r->inits[i].line = bin_u32(&d);
		r->inits[i].col = bin_u32(&d);
		uint32_t ret = bin_u32(&d);
		if (ret > 1) d.bad = 1;
		r->inits[i].returns_int = (int)ret;
	}
	struct scan_annot **lists[2] = {&r->imports, &r->packages};
	size_t *counts[2] = {&r->nimports, &r->npackages};
	for (int k = 0; k < 2; k++) {
		*counts[k] = bin_count(&d, 16);
		*lists[k] = xcalloc(*counts[k], sizeof **lists[k]);
		for (size_t i = 0; i < *counts[k]; i++) {
			(*lists[k])[i].path = bin_str(&d, 0);
			(*lists[k])[i].file = bin_str(&d, 0);
			(*lists[k])[i].line = bin_u32(&d);
			(*lists[k])[i].col = bin_u32(&d);
		}
	}
	r->nincludes = bin_count(&d, 12);
	r->includes = xcalloc(r->nincludes, sizeof *r->includes);
	for (size_t i = 0; i < r->nincludes; i++) {
		r->includes[i].from = bin_str(&d, 0);
		r->includes[i].line = bin_u32(&d);
		r->includes[i].to = bin_str(&d, 0);
	}
	uint32_t dm = bin_u32(&d);
	char *mainfile = bin_str(&d, 1);
	r->main_at.line = bin_u32(&d);
	r->main_at.col = bin_u32(&d);
	r->ndeps = bin_count(&d, 4);
	r->deps = xcalloc(r->ndeps, sizeof *r->deps);
	for (size_t i = 0; i < r->ndeps; i++) r->deps[i] = bin_str(&d, 0);
	r->nafters = bin_count(&d, 20);
	r->afters = xcalloc(r->nafters ? r->nafters : 1, sizeof *r->afters);
	for (size_t i = 0; i < r->nafters; i++) {
		r->afters[i].init = bin_str(&d, 0);
		r->afters[i].after = bin_str(&d, 0);
		r->afters[i].file = bin_str(&d, 0);
		r->afters[i].line = bin_u32(&d);
		r->afters[i].col = bin_u32(&d);
	}
	uint32_t facts = bin_u32(&d);
	r->has_facts = facts == 1;
	r->nfuncs = bin_count(&d, 24);
	r->funcs = xcalloc(r->nfuncs ? r->nfuncs : 1, sizeof *r->funcs);
	for (size_t i = 0; i < r->nfuncs && !d.bad; i++) {
		struct scan_func *fn = &r->funcs[i];
		fn->name = bin_str(&d, 0);
		fn->file = bin_str(&d, 0);
		fn->line = bin_u32(&d);
		fn->col = bin_u32(&d);
		uint32_t flags = bin_u32(&d);
		fn->is_static = flags & 1;
		fn->is_table = flags >> 1 & 1;
		if (flags > 3) d.bad = 1;
		fn->nrefs = bin_count(&d, 16);
		fn->refs = xcalloc(fn->nrefs ? fn->nrefs : 1, sizeof *fn->refs);
		for (size_t j = 0; j < fn->nrefs; j++) {
			struct scan_ref *x = &fn->refs[j];
			x->name = bin_str(&d, 0);
			uint32_t k = bin_u32(&d);
			x->kind = (char)(k & 0xff);
			x->is_static = (char)(k >> 8 & 1);
			x->line = bin_u32(&d);
			x->col = bin_u32(&d);
		}
	}
	if (facts > 1 || (!r->has_facts && r->nfuncs)) d.bad = 1;
	if (d.p != d.end || dm > 1 || !dm != !mainfile) d.bad = 1;
	r->defines_main = (int)dm;
	/* main_at.file points into the record, as the YAML reader has it. */
	if (!d.bad && mainfile) {
		r->main_at.file = record_own_path(r, mainfile);
		if (!r->main_at.file) d.bad = 1;
	}
	free(mainfile);
	char *problem = d.bad ? NULL : record_values_problem(r);
	if (problem) d.bad = 1;
	free(problem);
	if (d.bad) {
		record_free(r);
		return -1;
	}
	return 0;
}
