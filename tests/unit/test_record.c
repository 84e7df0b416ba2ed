/*
 * test_record.c - scan records: the exact format, round trips, every kind
 * of bad record (each with its exact diagnostic), and depfiles in gcc's
 * format (tool/record.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char *depfile_to_string(const struct scan_record *r, const char *target,
			       int phony)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	record_write_depfile(f, r, target, phony);
	fclose(f);
	return buf;
}

static char **strs(size_t n, ...)
{
	char **v = xcalloc(n, sizeof *v);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* The record of spec/formats.md's example, built as scan.c would. */
static void sample(struct scan_record *r)
{
	*r = (struct scan_record){0};
	r->tu = xstrdup("db/db.c");
	r->roots = strs(1, ".");
	r->nroots = 1;
	r->files = xcalloc(2, sizeof *r->files);
	r->files[0] = (struct scan_file){xstrdup("db/db.c"), xstrdup("db/db.c"),
					 xstrdup("db")};
	r->files[1] = (struct scan_file){xstrdup("log/log.h"), xstrdup("log/log.h"),
					 xstrdup("log")};
	r->nfiles = 2;
	r->inits = xcalloc(1, sizeof *r->inits);
	r->inits[0] = (struct scan_init){.name = xstrdup("db_init"),
					 .file = xstrdup("db/db.c"), .line = 5, .col = 6};
	r->ninits = 1;
	r->imports = xcalloc(1, sizeof *r->imports);
	r->imports[0] = (struct scan_annot){xstrdup("config"), xstrdup("db/db.c"), 3, 1};
	r->nimports = 1;
	r->includes = xcalloc(1, sizeof *r->includes);
	r->includes[0] = (struct scan_include){xstrdup("db/db.c"), 1,
					       xstrdup("log/log.h")};
	r->nincludes = 1;
	r->deps = strs(3, "/usr/include/stdio.h", "db/db.c", "log/log.h");
	r->ndeps = 3;
}

static const char sample_text[] =
	"pkginit: 1\n"
	"kind: scan\n"
	"tu: db/db.c\n"
	"roots: [.]\n"
	"defines_main: false\n"
	"files:\n"
	"  - {path: db/db.c, name: db/db.c, package: db}\n"
	"  - {path: log/log.h, name: log/log.h, package: log}\n"
	"inits:\n"
	"  - {name: db_init, file: db/db.c, line: 5, column: 6}\n"
	"imports:\n"
	"  - {path: config, file: db/db.c, line: 3, column: 1}\n"
	"packages: []\n"
	"includes:\n"
	"  - {from: db/db.c, line: 1, to: log/log.h}\n"
	"deps: [/usr/include/stdio.h, db/db.c, log/log.h]\n";

static void assert_annots_equal(const struct scan_annot *a,
				const struct scan_annot *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].path, b[i].path);
		assert_string_equal(a[i].file, b[i].file);
		assert_int_equal(a[i].line, b[i].line);
		assert_int_equal(a[i].col, b[i].col);
	}
}

static void assert_records_equal(const struct scan_record *a,
				 const struct scan_record *b)
{
	assert_string_equal(a->tu, b->tu);
	assert_int_equal(a->nroots, b->nroots);
	for (size_t i = 0; i < a->nroots; i++)
		assert_string_equal(a->roots[i], b->roots[i]);
	assert_int_equal(a->defines_main, b->defines_main);
	if (a->defines_main) {
		assert_string_equal(a->main_at.file, b->main_at.file);
		assert_int_equal(a->main_at.line, b->main_at.line);
		assert_int_equal(a->main_at.col, b->main_at.col);
	}
	assert_int_equal(a->nfiles, b->nfiles);
	for (size_t i = 0; i < a->nfiles; i++) {
		assert_string_equal(a->files[i].path, b->files[i].path);
		assert_string_equal(a->files[i].name, b->files[i].name);
		assert_string_equal(a->files[i].package, b->files[i].package);
	}
	assert_int_equal(a->ninits, b->ninits);
	for (size_t i = 0; i < a->ninits; i++) {
		assert_string_equal(a->inits[i].name, b->inits[i].name);
		assert_string_equal(a->inits[i].file, b->inits[i].file);
		assert_int_equal(a->inits[i].line, b->inits[i].line);
		assert_int_equal(a->inits[i].col, b->inits[i].col);
		assert_int_equal(a->inits[i].returns_int, b->inits[i].returns_int);
	}
	assert_int_equal(a->nimports, b->nimports);
	assert_annots_equal(a->imports, b->imports, a->nimports);
	assert_int_equal(a->npackages, b->npackages);
	assert_annots_equal(a->packages, b->packages, a->npackages);
	assert_int_equal(a->nincludes, b->nincludes);
	for (size_t i = 0; i < a->nincludes; i++) {
		assert_string_equal(a->includes[i].from, b->includes[i].from);
		assert_int_equal(a->includes[i].line, b->includes[i].line);
		assert_string_equal(a->includes[i].to, b->includes[i].to);
	}
	assert_int_equal(a->ndeps, b->ndeps);
	for (size_t i = 0; i < a->ndeps; i++)
		assert_string_equal(a->deps[i], b->deps[i]);
}

static void assert_record_empty(const struct scan_record *r)
{
	static const struct scan_record zero;
	assert_memory_equal(r, &zero, sizeof zero);
}

/* write -> read -> write: same bytes, same fields. */
static void round_trip(const struct scan_record *orig, const char *path)
{
	char *text = tu_record_text(orig);
	tu_put_file(path, text, strlen(text));
	struct scan_record back;
	tu_capture_begin();
	int rc = record_read(path, &back);
	char *out = tu_capture_end();
	assert_string_equal(out, "");
	assert_int_equal(rc, 0);
	free(out);
	assert_string_equal(back.source, path);
	assert_records_equal(orig, &back);
	char *again = tu_record_text(&back);
	assert_string_equal(again, text);
	record_free(&back);
	assert_record_empty(&back);
	free(text);
	free(again);
}

static void test_write_format(void **state)
{
	(void)state;
	struct scan_record r;
	sample(&r);
	char *text = tu_record_text(&r);
	assert_string_equal(text, sample_text);
	free(text);
	record_free(&r);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct scan_record r;
	sample(&r);
	round_trip(&r, "db.scan");
	record_free(&r);
}

static void test_round_trip_main(void **state)
{
	(void)state;
	struct scan_record r;
	sample(&r);
	r.defines_main = 1;
	r.main_at = (struct loc){r.files[1].path, 30, 5};
	char *text = tu_record_text(&r);
	assert_non_null(strstr(text, "defines_main: true\n"
			       "main: {file: log/log.h, line: 30, column: 5}\n"
			       "files:\n"));
	free(text);
	round_trip(&r, "main.scan");

	/* main_at.file points into the record read, so nothing leaks. */
	struct scan_record back;
	assert_int_equal(record_read("main.scan", &back), 0);
	assert_ptr_equal(back.main_at.file, back.files[1].path);
	record_free(&back);
	record_free(&r);
}

static void test_round_trip_empty_lists(void **state)
{
	(void)state;
	struct scan_record r = {0};
	r.tu = xstrdup("x.c");
	char *text = tu_record_text(&r);
	assert_string_equal(text,
			    "pkginit: 1\nkind: scan\ntu: x.c\nroots: []\n"
			    "defines_main: false\nfiles: []\ninits: []\n"
			    "imports: []\npackages: []\nincludes: []\ndeps: []\n");
	free(text);
	round_trip(&r, "empty.scan");
	record_free(&r);
}

/* Paths YAML would otherwise read as something else survive. */
static void test_awkward_paths(void **state)
{
	(void)state;
	struct scan_record r = {0};
	r.tu = xstrdup("yes");
	r.roots = strs(3, ".", "1.0", "dir with spaces");
	r.nroots = 3;
	static const char *const paths[] = {
		"#x", "1.0", "a: b", "dir with spaces/f.c", "null", "yes", "~",
	};
	r.nfiles = sizeof paths / sizeof *paths;
	r.files = xcalloc(r.nfiles, sizeof *r.files);
	for (size_t i = 0; i < r.nfiles; i++)
		r.files[i] = (struct scan_file){xstrdup(paths[i]), xstrdup(paths[i]),
						xstrdup(i % 2 ? "null" : "- x")};
	r.inits = xcalloc(1, sizeof *r.inits);
	r.inits[0] = (struct scan_init){.name = xstrdup("on"), .file = xstrdup("a: b"),
					.line = 1, .col = 1};
	r.ninits = 1;
	r.packages = xcalloc(1, sizeof *r.packages);
	r.packages[0] = (struct scan_annot){xstrdup("[x]"), xstrdup("#x"), 2, 3};
	r.npackages = 1;
	r.includes = xcalloc(1, sizeof *r.includes);
	r.includes[0] = (struct scan_include){xstrdup("dir with spaces/f.c"), 4,
					       xstrdup("~")};
	r.nincludes = 1;
	r.deps = strs(3, "#x", "a: b", "yes");
	r.ndeps = 3;
	r.defines_main = 1;
	r.main_at = (struct loc){r.tu, 9, 1};
	char *text = tu_record_text(&r);
	assert_non_null(strstr(text, "tu: \"yes\"\n"));
	assert_non_null(strstr(text, "roots: [., \"1.0\", dir with spaces]\n"));
	assert_non_null(strstr(text, "  - {path: \"a: b\", name: \"a: b\", "
			       "package: \"- x\"}\n"));
	assert_non_null(strstr(text, "  - {path: \"~\", name: \"~\", package: \"- x\"}\n"));
	assert_non_null(strstr(text, "  - {path: \"1.0\", name: \"1.0\", "
			       "package: \"null\"}\n"));
	free(text);
	round_trip(&r, "awkward.scan");
	record_free(&r);
}

/* A hand-edited record out of order reads back in tool.h's order. */
static void test_read_sorts(void **state)
{
	(void)state;
	const char text[] =
		"pkginit: 1\nkind: scan\ntu: a.c\nroots: [.]\n"
		"defines_main: false\n"
		"files:\n  - {path: b.h, name: b.h, package: .}\n"
		"  - {path: a.c, name: a.c, package: .}\n"
		"inits:\n  - {name: z, file: b.h, line: 1, column: 1}\n"
		"  - {name: y, file: a.c, line: 9, column: 1}\n"
		"  - {name: x, file: a.c, line: 2, column: 7}\n"
		"imports: []\npackages: []\n"
		"includes:\n  - {from: b.h, line: 1, to: a.c}\n"
		"  - {from: a.c, line: 3, to: b.h}\n"
		"deps: [b.h, a.c, b.h]\n";
	tu_put_file("sort.scan", text, sizeof text - 1);
	struct scan_record r;
	assert_int_equal(record_read("sort.scan", &r), 0);
	assert_string_equal(r.files[0].path, "a.c");
	assert_string_equal(r.files[1].path, "b.h");
	assert_string_equal(r.inits[0].name, "x");
	assert_string_equal(r.inits[1].name, "y");
	assert_string_equal(r.inits[2].name, "z");
	assert_string_equal(r.includes[0].from, "a.c");
	assert_int_equal(r.ndeps, 2);
	assert_string_equal(r.deps[0], "a.c");
	assert_string_equal(r.deps[1], "b.h");
	record_free(&r);
}

/* An init function that can fail says 'returns: int'; a void one says
 * nothing, so a record from before the field reads as void, and so does
 * an explicit 'returns: void'. */
static void test_returns(void **state)
{
	(void)state;
	struct scan_record r;
	sample(&r);
	r.inits = xrealloc(r.inits, 2 * sizeof *r.inits);
	r.inits[1] = (struct scan_init){.name = xstrdup("db_open"),
					.file = xstrdup("db/db.c"), .line = 9,
					.col = 5, .returns_int = 1};
	r.ninits = 2;
	char *text = tu_record_text(&r);
	assert_non_null(strstr(text, "inits:\n"
			       "  - {name: db_init, file: db/db.c, line: 5, column: 6}\n"
			       "  - {name: db_open, file: db/db.c, line: 9, column: 5, "
			       "returns: int}\n"
			       "imports:\n"));
	free(text);
	round_trip(&r, "returns.scan");
	record_free(&r);

	struct scan_record back;
	tu_put_file("old.scan", sample_text, strlen(sample_text));
	assert_int_equal(record_read("old.scan", &back), 0);
	assert_int_equal(back.ninits, 1);
	assert_int_equal(back.inits[0].returns_int, 0);
	record_free(&back);

	tu_put_variant("void.scan", sample_text, "column: 6}", "column: 6, returns: void}");
	assert_int_equal(record_read("void.scan", &back), 0);
	assert_int_equal(back.inits[0].returns_int, 0);
	text = tu_record_text(&back);
	assert_string_equal(text, sample_text);
	free(text);
	record_free(&back);

	tu_put_variant("int.scan", sample_text, "column: 6}", "returns: int, column: 6}");
	assert_int_equal(record_read("int.scan", &back), 0);
	assert_int_equal(back.inits[0].returns_int, 1);
	record_free(&back);
}

/* ---- bad records ----------------------------------------------------- */

/* Read r.yaml into *r: expect exactly diag, EXIT_INPUT and nothing in
 * *r. */
static void expect_bad_read(struct scan_record *r, const char *diag)
{
	tu_capture_begin();
	int rc = record_read("r.yaml", r);
	char *out = tu_capture_end();
	assert_string_equal(out, diag);
	assert_int_equal(rc, EXIT_INPUT);
	assert_record_empty(r);
	free(out);
}

/* sample_text with the first occurrence of old replaced by new, read
 * from r.yaml: expect exactly diag. */
static void expect_variant(const char *old, const char *new, const char *diag)
{
	tu_put_variant("r.yaml", sample_text, old, new);
	struct scan_record r;
	memset(&r, 0xa5, sizeof r);     /* record_read must not trust it */
	expect_bad_read(&r, diag);
}

static void test_bad_header(void **state)
{
	(void)state;
	expect_variant("pkginit: 1", "pkginit: 2",
		       "r.yaml:1:10: error: unsupported format version 2 (this "
		       "pkginit reads version 1); regenerate the file with this "
		       "pkginit\n");
	expect_variant("kind: scan", "kind: report",
		       "r.yaml:2:7: error: wrong kind 'report': expected 'scan'\n");
	expect_variant("kind: scan\n", "",
		       "r.yaml:16:1: error: missing field 'kind'\n");
	expect_variant("pkginit: 1\n", "",
		       "r.yaml:1:1: error: not a pkginit file: missing field "
		       "'pkginit' (the format version)\n");
}

static void test_bad_fields(void **state)
{
	(void)state;
	expect_variant("packages: []\n", "",
		       "r.yaml:16:1: error: missing field 'packages'\n");
	expect_variant("pkginit: 1\n", "pkginit: 1\nfoo: 1\n",
		       "r.yaml:2:1: error: unknown field 'foo'\n");
	expect_variant("package: db}", "package: db, pkg: x}",
		       "r.yaml:7:49: error: unknown field 'pkg'\n");
	expect_variant("line: 5,", "line: five,",
		       "r.yaml:10:42: error: field 'line' must be a positive integer\n");
	expect_variant("line: 5,", "line: -5,",
		       "r.yaml:10:42: error: field 'line' must be a positive integer\n");
	expect_variant("line: 5,", "line: 0,",
		       "r.yaml:10:42: error: field 'line' must be a positive integer\n");
	expect_variant("column: 6", "column: \"6\"",
		       "r.yaml:10:53: error: field 'column' must be a positive integer\n");
	expect_variant("line: 1,", "line: 1.5,",
		       "r.yaml:15:27: error: field 'line' must be a positive integer\n");
	expect_variant("tu: db/db.c", "tu: ~",
		       "r.yaml:3:5: error: field 'tu' must be a string, not null\n");
	expect_variant("roots: [.]", "roots: [{a: b}]",
		       "r.yaml:4:9: error: each item of 'roots' must be a string, "
		       "not a mapping\n");
	expect_variant("roots: [.]", "roots: .",
		       "r.yaml:4:8: error: field 'roots' must be a sequence, not "
		       "a scalar\n");
	expect_variant("  - {name: db_init", "  - [name, db_init]\n  - {name: db_init",
		       "r.yaml:10:5: error: each item of 'inits' must be a mapping, "
		       "not a sequence\n");
	expect_variant("defines_main: false", "defines_main: no",
		       "r.yaml:5:15: error: field 'defines_main' must be true or false\n");
	expect_variant(", name: db/db.c, package: db}", ", package: db}",
		       "r.yaml:7:32: error: missing field 'name'\n");
	expect_variant("column: 6}", "column: 6, returns: long}",
		       "r.yaml:10:65: error: field 'returns' must be 'int' or "
		       "'void', not 'long'\n");
	expect_variant("column: 6}", "column: 6, returns: [int]}",
		       "r.yaml:10:65: error: field 'returns' must be a string, "
		       "not a sequence\n");
	expect_variant("column: 6}", "column: 6, return: int}",
		       "r.yaml:10:56: error: unknown field 'return'\n");
}

static void test_bad_yaml(void **state)
{
	(void)state;
	expect_variant("kind: scan\n", "kind: scan\nkind: scan\n",
		       "r.yaml:3:1: error: duplicate key 'kind'\n"
		       "r.yaml:2:1: note: 'kind' first appears here\n");
	expect_variant("roots: [.]", "roots: &r [.]",
		       "r.yaml:4:8: error: anchors and aliases are not supported "
		       "(found '&r')\n");
	expect_variant("packages: []", "packages: *r",
		       "r.yaml:13:11: error: aliases are not supported (found '*r')\n");
	expect_variant("tu: db/db.c", "tu: !!str db/db.c",
		       "r.yaml:3:5: error: tags are not supported "
		       "(found 'tag:yaml.org,2002:str')\n");
	expect_variant("line: 5,", "line: [5,",
		       "r.yaml:10:55: error: invalid YAML: did not find expected "
		       "',' or ']' (while parsing a flow sequence started at line "
		       "10, column 42)\n");
}

/* Function facts: record.c reads the lines scan writes with a loop and
 * anything else through libyaml; both must give the same record and the
 * same diagnostics. */
static const char facts_text[] =
	"facts: true\n"
	"functions:\n"
	"  - {name: db_init, file: db/db.c, line: 5, column: 6, static: false, "
	"uses: \"we:db_ready@5:30 cs:db_open@5:20\"}\n"
	"  - {name: db_open, file: db/db.c, line: 9, column: 13, static: true, "
	"uses: \"re:log_level@10:5\"}\n";

/* sample_text and facts_text with the first occurrence of old replaced
 * by new, as r.yaml ("" for old: as they are). */
static void put_facts_variant(const char *old, const char *new)
{
	char *t = xasprintf("%s%s", sample_text, facts_text);
	tu_put_variant("r.yaml", t, old, new);
	free(t);
}

static void expect_facts(const char *old, const char *new)
{
	put_facts_variant(old, new);
	struct scan_record r;
	tu_capture_begin();
	int rc = record_read("r.yaml", &r);
	char *out = tu_capture_end();
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(rc, 0);
	assert_true(r.has_facts);
	assert_int_equal(r.nfuncs, 2);
	const struct scan_func *f = &r.funcs[0];
	assert_string_equal(f->name, "db_init");
	assert_string_equal(f->file, "db/db.c");
	assert_int_equal(f->line, 5);
	assert_int_equal(f->col, 6);
	assert_false(f->is_static);
	assert_int_equal(f->nrefs, 2);
	/* sorted by kind: the call first */
	assert_int_equal(f->refs[0].kind, SCAN_REF_CALL);
	assert_string_equal(f->refs[0].name, "db_open");
	assert_true(f->refs[0].is_static);
	assert_int_equal(f->refs[0].line, 5);
	assert_int_equal(f->refs[0].col, 20);
	assert_int_equal(f->refs[1].kind, SCAN_REF_WRITE);
	assert_string_equal(f->refs[1].name, "db_ready");
	assert_false(f->refs[1].is_static);
	f = &r.funcs[1];
	assert_string_equal(f->name, "db_open");
	assert_int_equal(f->col, 13);
	assert_true(f->is_static);
	assert_int_equal(f->nrefs, 1);
	assert_int_equal(f->refs[0].kind, SCAN_REF_READ);
	assert_string_equal(f->refs[0].name, "log_level");
	assert_int_equal(f->refs[0].line, 10);
	assert_int_equal(f->refs[0].col, 5);
	record_free(&r);
}

static void expect_facts_diag(const char *old, const char *new, const char *diag)
{
	put_facts_variant(old, new);
	struct scan_record r;
	expect_bad_read(&r, diag);
}

static void test_functions(void **state)
{
	(void)state;
	/* As scan writes it (the loop), and in other YAML (libyaml). */
	expect_facts("", "");
	expect_facts("static: true, uses: \"re:log_level@10:5\"}\n",
		     "static: true, uses: \"re:log_level@10:5\"}\n# the end\n");
	expect_facts("name: db_open, file: db/db.c", "name: db_open, file: \"db/db.c\"");
	expect_facts("uses: \"re:log_level@10:5\"", "uses: \"re:log_level\\x4010:5\"");
	expect_facts("{name: db_init, file: db/db.c, line: 5",
		     "{name: db_init,  file: db/db.c, line: 5");
	expect_facts("functions:\n  - {name: db_init",
		     "functions:\n  -   {name: db_init");
	/* Every diagnostic is the YAML reader's, at its place. */
	expect_facts_diag("line: 9,", "line: 0,",
			  "r.yaml:20:42: error: field 'line' must be a positive integer\n");
	expect_facts_diag("re:log_level@10:5", "re:log_level@10",
			  "r.yaml:20:77: error: field 'uses': bad reference "
			  "'re:log_level@10' (want KIND LINKAGE:NAME@LINE:COLUMN, "
			  "e.g. 're:counter@12:5')\n");
	expect_facts_diag("file: db/db.c, line: 9", "file: db/x.c, line: 9",
			  "r.yaml:20:27: error: function file 'db/x.c' is not one "
			  "of the record's 'files'\n");
	expect_facts_diag("name: db_open", "name: 9db_open",
			  "r.yaml:20:12: error: function name '9db_open' is not a "
			  "C identifier\n");
	expect_facts_diag("static: true", "static: yes",
			  "r.yaml:20:65: error: field 'static' must be true or false\n");
	expect_facts_diag("facts: true\n", "facts: true\nfunctions: []\n",
			  "r.yaml:19:1: error: duplicate key 'functions'\n"
			  "r.yaml:18:1: note: 'functions' first appears here\n");
	expect_facts_diag("facts: true", "facts: false",
			  "r.yaml:18:1: error: field 'functions' is given but "
			  "'facts' is not true\n");
	expect_facts_diag("\"re:log_level@10:5\"}\n", "\"re:log_level@10:5",
			  "r.yaml:20:95: error: invalid YAML: found unexpected end "
			  "of stream (while scanning a quoted scalar started at "
			  "line 20, column 77)\n");
}

static void test_inconsistent(void **state)
{
	(void)state;
	expect_variant("file: db/db.c, line: 5", "file: db/x.c, line: 5",
		       "r.yaml:10:27: error: init file 'db/x.c' is not one of the "
		       "record's 'files'\n");
	expect_variant("to: log/log.h", "to: log/x.h",
		       "r.yaml:15:34: error: included file 'log/x.h' is not one of "
		       "the record's 'files'\n");
	expect_variant("from: db/db.c", "from: db/y.c",
		       "r.yaml:15:12: error: including file 'db/y.c' is not one of "
		       "the record's 'files'\n");
	expect_variant("file: db/db.c, line: 3", "file: cfg.c, line: 3",
		       "r.yaml:12:26: error: import file 'cfg.c' is not one of the "
		       "record's 'files'\n");
	expect_variant("path: log/log.h", "path: db/db.c",
		       "r.yaml:8:12: error: file 'db/db.c' is listed twice in 'files'\n"
		       "r.yaml:7:5: note: first listed here\n");
	expect_variant("defines_main: false", "defines_main: true",
		       "r.yaml:17:1: error: missing field 'main'\n");
	expect_variant("defines_main: false",
		       "defines_main: false\nmain: {file: db/db.c, line: 1, column: 1}",
		       "r.yaml:6:1: error: field 'main' is given but 'defines_main' "
		       "is false\n");
	expect_variant("defines_main: false",
		       "defines_main: true\nmain: {file: m.c, line: 1, column: 1}",
		       "r.yaml:6:14: error: main's file 'm.c' is not one of the "
		       "record's 'files'\n");
	expect_variant("defines_main: false",
		       "defines_main: true\nmain: {file: db/db.c, line: 1}",
		       "r.yaml:6:30: error: missing field 'column'\n");
}

/* A TU outside every root is not among the files, but its inits and
 * annotations refer to it. */
static void test_tu_outside_roots(void **state)
{
	(void)state;
	struct scan_record r = {0};
	r.tu = xstrdup("../elsewhere/m.c");
	r.roots = strs(1, "src");
	r.nroots = 1;
	r.inits = xcalloc(1, sizeof *r.inits);
	r.inits[0] = (struct scan_init){.name = xstrdup("m_init"), .file = xstrdup(r.tu),
					.line = 2, .col = 6};
	r.ninits = 1;
	r.imports = xcalloc(1, sizeof *r.imports);
	r.imports[0] = (struct scan_annot){xstrdup("log"), xstrdup(r.tu), 1, 1};
	r.nimports = 1;
	r.defines_main = 1;
	r.main_at = (struct loc){r.tu, 9, 5};
	r.deps = strs(1, "../elsewhere/m.c");
	r.ndeps = 1;
	round_trip(&r, "outside.scan");
	struct scan_record back;
	assert_int_equal(record_read("outside.scan", &back), 0);
	assert_ptr_equal(back.main_at.file, back.tu);
	record_free(&back);
	record_free(&r);
}

static void test_missing_and_empty(void **state)
{
	(void)state;
	struct scan_record r;
	tu_capture_begin();
	int rc = record_read("nope.scan", &r);
	char *out = tu_capture_end();
	assert_int_equal(rc, EXIT_INPUT);
	assert_string_equal(out, "pkginit: error: cannot read 'nope.scan': "
			    "No such file or directory\n");
	assert_record_empty(&r);
	free(out);
	expect_variant(sample_text, "",
		       "r.yaml:1:1: error: the file is empty (no YAML document)\n");
}

/* Cut the record at every byte: each prefix is refused with one error
 * inside the file, and nothing is returned.  (Only dropping the final
 * newline leaves a complete record.) */
static void test_truncated(void **state)
{
	(void)state;
	size_t len = sizeof sample_text - 1;
	for (size_t cut = 0; cut < len - 1; cut++) {
		tu_put_file("cut.yaml", sample_text, cut);
		struct scan_record r;
		tu_capture_begin();
		int rc = record_read("cut.yaml", &r);
		char *out = tu_capture_end();
		assert_int_equal(rc, EXIT_INPUT);
		assert_record_empty(&r);
		unsigned line, col, lines = 1;
		for (size_t i = 0; i < cut; i++) lines += sample_text[i] == '\n';
		assert_int_equal(sscanf(out, "cut.yaml:%u:%u: error: ", &line, &col), 2);
		/* libyaml ends an unterminated last line with a line break,
		 * so the end of the file may be the line after it. */
		if (line < 1 || line > lines + 1)
			fail_msg("cut at %zu: %s", cut, out);
		/* One error; a note may follow it. */
		char *second = strstr(out + 1, "error:");
		assert_true(!second || !strstr(second + 1, "error:"));
		assert_non_null(strchr(out, '\n'));
		const char *nl = strchr(out, '\n');
		assert_true(nl[1] == 0 || !strncmp(nl + 1, "cut.yaml:", 9));
		free(out);
	}
	/* At line boundaries, the error is the first field missing, where
	 * the file ends. */
	static const struct { unsigned lines; const char *diag; } at[] = {
		{0, "cut.yaml:1:1: error: the file is empty (no YAML document)\n"},
		{1, "cut.yaml:2:1: error: missing field 'kind'\n"},
		{2, "cut.yaml:3:1: error: missing field 'tu'\n"},
		{5, "cut.yaml:6:1: error: missing field 'files'\n"},
		{8, "cut.yaml:9:1: error: missing field 'inits'\n"},
		{13, "cut.yaml:14:1: error: missing field 'includes'\n"},
		{15, "cut.yaml:16:1: error: missing field 'deps'\n"},
	};
	for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
		size_t cut = 0;
		for (unsigned n = 0; n < at[k].lines; cut++)
			n += sample_text[cut] == '\n';
		tu_put_file("cut.yaml", sample_text, cut);
		struct scan_record r;
		tu_capture_begin();
		int rc = record_read("cut.yaml", &r);
		char *out = tu_capture_end();
		assert_int_equal(rc, EXIT_INPUT);
		assert_string_equal(out, at[k].diag);
		free(out);
	}
	/* The complete record without its last newline is fine. */
	tu_put_file("cut.yaml", sample_text, len - 1);
	struct scan_record r;
	assert_int_equal(record_read("cut.yaml", &r), 0);
	assert_int_equal(r.ndeps, 3);
	record_free(&r);
}

/* ---- depfiles -------------------------------------------------------- */

/* The expected text is what gcc 12 prints for the same inclusions with
 * gcc -MM -MP -MT out/t.o t.c. */
static void test_depfile_like_gcc(void **state)
{
	(void)state;
	struct scan_record r = {0};
	r.tu = xstrdup("t.c");
	r.deps = strs(9, "a b/h$1.h", "t.c", "x/h#2.h",
		      "x/longheadername_number_1.h", "x/longheadername_number_2.h",
		      "x/longheadername_number_3.h", "x/longheadername_number_4.h",
		      "x/longheadername_number_5.h", "x/longheadername_number_6.h");
	r.ndeps = 9;
	const char rule[] =
		"out/t.o: t.c a\\ b/h$$1.h x/h\\#2.h x/longheadername_number_1.h \\\n"
		" x/longheadername_number_2.h x/longheadername_number_3.h \\\n"
		" x/longheadername_number_4.h x/longheadername_number_5.h \\\n"
		" x/longheadername_number_6.h\n";
	const char phony[] =
		"a\\ b/h$$1.h:\n"
		"x/h\\#2.h:\n"
		"x/longheadername_number_1.h:\n"
		"x/longheadername_number_2.h:\n"
		"x/longheadername_number_3.h:\n"
		"x/longheadername_number_4.h:\n"
		"x/longheadername_number_5.h:\n"
		"x/longheadername_number_6.h:\n";
	char *out = depfile_to_string(&r, "out/t.o", 0);
	assert_string_equal(out, rule);
	free(out);
	out = depfile_to_string(&r, "out/t.o", 1);
	char *want = xasprintf("%s%s", rule, phony);
	assert_string_equal(out, want);
	free(want);
	free(out);
	record_free(&r);
}

static void test_depfile_escapes(void **state)
{
	(void)state;
	struct scan_record r = {0};
	r.tu = xstrdup("main file.c");
	/* gcc: "c\ d.h" becomes c\\\ d.h (the backslash before a space is
	 * doubled, then the space escaped); a lone backslash stays. */
	r.deps = strs(4, "c\\ d.h", "dir\\x.h", "tab\there.h", "$$.h");
	r.ndeps = 4;
	char *out = depfile_to_string(&r, "main.o", 1);
	assert_string_equal(out,
			    "main.o: main\\ file.c c\\\\\\ d.h dir\\x.h tab\\\there.h "
			    "$$$$.h\n"
			    "c\\\\\\ d.h:\n"
			    "dir\\x.h:\n"
			    "tab\\\there.h:\n"
			    "$$$$.h:\n");
	free(out);
	record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_main),
		cmocka_unit_test(test_round_trip_empty_lists),
		cmocka_unit_test(test_awkward_paths),
		cmocka_unit_test(test_read_sorts),
		cmocka_unit_test(test_returns),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_tu_outside_roots),
		cmocka_unit_test(test_missing_and_empty),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_depfile_like_gcc),
		cmocka_unit_test(test_depfile_escapes),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
