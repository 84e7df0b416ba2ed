/*
 * test_yaml.c - the YAML tree reader, its refusals, the schema checkers
 * and the scalar writer (tool/yaml.c).
 *
 * Every error case asserts the exact diagnostic text: the point of the
 * reader is that a bad file fails with one clear message at the right
 * line, so that is what is checked.  The tests run in a fresh temporary
 * directory so diagnostics name short relative paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Load text from y.yaml; expect failure with exactly diag. */
static void expect_load_error(const char *text, size_t len, const char *diag)
{
	tu_put_file("y.yaml", text, len);
	struct yaml_doc d;
	tu_capture_begin();
	int rc = yaml_load(&d, "y.yaml");
	char *out = tu_capture_end();
	assert_int_equal(rc, EXIT_INPUT);
	assert_null(d.root);
	assert_null(d.path);
	assert_string_equal(out, diag);
	free(out);
}
#define LOAD_ERROR(text, diag) expect_load_error(text, sizeof text - 1, diag)

static void load_ok(struct yaml_doc *d, const char *text)
{
	tu_put_file("y.yaml", text, strlen(text));
	tu_capture_begin();
	int rc = yaml_load(d, "y.yaml");
	char *out = tu_capture_end();
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(rc, 0);
	assert_non_null(d->root);
}

/* ---- the tree -------------------------------------------------------- */

static void test_tree_shape_and_locations(void **state)
{
	(void)state;
	struct yaml_doc d;
	load_ok(&d, "# a comment\n"
		    "name: db\n"
		    "list:\n"
		    "  - {a: 1, b: 'two'}\n"
		    "  - [x, \"y\"]\n"
		    "empty: []\n");
	const struct yaml_value *root = d.root;
	assert_int_equal(root->kind, YAML_KIND_MAP);
	assert_int_equal(root->n, 3);
	assert_string_equal(root->items[0].key, "name");
	assert_int_equal(root->items[0].key_at.line, 2);
	assert_int_equal(root->items[0].key_at.col, 1);
	assert_string_equal(root->items[0].key_at.file, "y.yaml");

	const struct yaml_value *name = yaml_map_get(root, "name");
	assert_int_equal(name->kind, YAML_KIND_SCALAR);
	assert_string_equal(name->str, "db");
	assert_true(name->plain);
	assert_int_equal(name->at.line, 2);
	assert_int_equal(name->at.col, 7);

	const struct yaml_value *list = yaml_map_get(root, "list");
	assert_int_equal(list->kind, YAML_KIND_SEQ);
	assert_int_equal(list->n, 2);
	const struct yaml_value *m = &list->items[0];
	assert_int_equal(m->kind, YAML_KIND_MAP);
	assert_int_equal(m->at.line, 4);
	assert_int_equal(m->at.col, 5);
	assert_null(m->key);
	const struct yaml_value *b = yaml_map_get(m, "b");
	assert_string_equal(b->str, "two");
	assert_false(b->plain);
	assert_int_equal(b->at.col, 15);
	/* A flow mapping ends at its closing brace. */
	assert_int_equal(m->end.line, 4);
	assert_int_equal(m->end.col, 20);
	const struct yaml_value *s = &list->items[1];
	assert_int_equal(s->kind, YAML_KIND_SEQ);
	assert_string_equal(s->items[1].str, "y");
	assert_int_equal(s->items[1].at.line, 5);
	assert_int_equal(s->items[1].at.col, 9);

	const struct yaml_value *e = yaml_map_get(root, "empty");
	assert_int_equal(e->kind, YAML_KIND_SEQ);
	assert_int_equal(e->n, 0);
	assert_null(yaml_map_get(root, "nope"));
	assert_null(yaml_map_get(name, "name"));      /* not a mapping */
	/* A block mapping ends where the file ends. */
	assert_int_equal(root->end.line, 7);
	assert_int_equal(root->end.col, 1);
	yaml_doc_free(&d);
	assert_null(d.root);
}

static void test_load_mem_and_explicit_document(void **state)
{
	(void)state;
	struct yaml_doc d;
	const char text[] = "---\nk: v\n...\n";
	assert_int_equal(yaml_load_mem(&d, "mem", text, sizeof text - 1), 0);
	assert_string_equal(d.path, "mem");
	assert_string_equal(yaml_map_get(d.root, "k")->str, "v");
	assert_string_equal(yaml_map_get(d.root, "k")->at.file, "mem");
	yaml_doc_free(&d);
}

static void test_depth_64_is_accepted(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	for (int i = 0; i < YAML_MAX_DEPTH; i++) sb_putc(&sb, '[');
	sb_putc(&sb, 'x');
	for (int i = 0; i < YAML_MAX_DEPTH; i++) sb_putc(&sb, ']');
	sb_putc(&sb, '\n');
	struct yaml_doc d;
	load_ok(&d, sb.buf);
	const struct yaml_value *v = d.root;
	int depth = 0;
	while (v->kind == YAML_KIND_SEQ) {
		assert_int_equal(v->n, 1);
		v = &v->items[0];
		depth++;
	}
	assert_int_equal(depth, YAML_MAX_DEPTH);
	assert_string_equal(v->str, "x");
	yaml_doc_free(&d);
	sb_free(&sb);
}

/* ---- refusals -------------------------------------------------------- */

static void test_missing_file(void **state)
{
	(void)state;
	struct yaml_doc d;
	tu_capture_begin();
	int rc = yaml_load(&d, "no-such.yaml");
	char *out = tu_capture_end();
	assert_int_equal(rc, EXIT_INPUT);
	assert_null(d.root);
	assert_string_equal(out, "pkginit: error: cannot read 'no-such.yaml': "
			    "No such file or directory\n");
	free(out);
}

static void test_directory_is_unreadable(void **state)
{
	(void)state;
	assert_int_equal(mkdir("adir", 0777), 0);
	struct yaml_doc d;
	tu_capture_begin();
	int rc = yaml_load(&d, "adir");
	char *out = tu_capture_end();
	assert_int_equal(rc, EXIT_INPUT);
	assert_string_equal(out, "pkginit: error: cannot read 'adir': Is a directory\n");
	free(out);
}

static void test_empty_files(void **state)
{
	(void)state;
	LOAD_ERROR("", "y.yaml:1:1: error: the file is empty (no YAML document)\n");
	/* Comments only: the error is where the file ends. */
	LOAD_ERROR("# nothing\n\n",
		   "y.yaml:3:1: error: the file is empty (no YAML document)\n");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	LOAD_ERROR("a: [1, 2\n",
		   "y.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' "
		   "(while parsing a flow sequence started at line 1, column 4)\n");
	LOAD_ERROR("a: b\n c: d\n",
		   "y.yaml:2:3: error: invalid YAML: mapping values are not allowed "
		   "in this context\n");
	LOAD_ERROR("a: \"unterminated\n",
		   "y.yaml:2:1: error: invalid YAML: found unexpected end of stream "
		   "(while scanning a quoted scalar started at line 1, column 4)\n");
	LOAD_ERROR("a: 1\n\tb: 2\n",
		   "y.yaml:2:1: error: invalid YAML: found a tab character that "
		   "violates indentation (while scanning a plain scalar started at "
		   "line 1, column 4)\n");
	/* Bad encoding: located by line and column from the byte offset. */
	LOAD_ERROR("a: 1\nb: x\xff\n",
		   "y.yaml:2:5: error: invalid YAML: invalid leading UTF-8 octet "
		   "(#xFF)\n");
	LOAD_ERROR("a: \x01\n",
		   "y.yaml:1:4: error: invalid YAML: control characters are not "
		   "allowed (#x1)\n");
}

static void test_aliases_anchors_tags(void **state)
{
	(void)state;
	LOAD_ERROR("a: &x [1]\nb: *x\n",
		   "y.yaml:1:4: error: anchors and aliases are not supported "
		   "(found '&x')\n");
	LOAD_ERROR("a: 1\nb: *x\n",
		   "y.yaml:2:4: error: aliases are not supported (found '*x')\n");
	LOAD_ERROR("&k a: 1\n",
		   "y.yaml:1:1: error: anchors and aliases are not supported "
		   "(found '&k')\n");
	LOAD_ERROR("*k : 1\n",
		   "y.yaml:1:1: error: aliases are not supported (found '*k')\n");
	LOAD_ERROR("a: !!str 1\n",
		   "y.yaml:1:4: error: tags are not supported "
		   "(found 'tag:yaml.org,2002:str')\n");
	LOAD_ERROR("a: !local {x: 1}\n",
		   "y.yaml:1:4: error: tags are not supported (found '!local')\n");
	LOAD_ERROR("--- !!map\na: 1\n",
		   "y.yaml:1:5: error: tags are not supported "
		   "(found 'tag:yaml.org,2002:map')\n");
}

/* The classic exponential-expansion attack stops at the first anchor. */
static void test_billion_laughs(void **state)
{
	(void)state;
	LOAD_ERROR("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
		   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
		   "y.yaml:1:4: error: anchors and aliases are not supported "
		   "(found '&a')\n");
}

static void test_documents(void **state)
{
	(void)state;
	LOAD_ERROR("a: 1\n---\nb: 2\n",
		   "y.yaml:2:1: error: a second YAML document is not supported "
		   "(a file holds one document)\n");
	LOAD_ERROR("---\na: 1\n...\n---\n",
		   "y.yaml:4:1: error: a second YAML document is not supported "
		   "(a file holds one document)\n");
}

static void test_keys(void **state)
{
	(void)state;
	LOAD_ERROR("a: 1\nb: 2\na: 3\n",
		   "y.yaml:3:1: error: duplicate key 'a'\n"
		   "y.yaml:1:1: note: 'a' first appears here\n");
	LOAD_ERROR("x: {k: 1, j: 2, k: 3}\n",
		   "y.yaml:1:17: error: duplicate key 'k'\n"
		   "y.yaml:1:5: note: 'k' first appears here\n");
	/* Same text, different quoting: still the same key. */
	LOAD_ERROR("a: 1\n\"a\": 2\n",
		   "y.yaml:2:1: error: duplicate key 'a'\n"
		   "y.yaml:1:1: note: 'a' first appears here\n");
	LOAD_ERROR("[a]: 1\n",
		   "y.yaml:1:1: error: a mapping key must be a string, not a sequence\n");
	LOAD_ERROR("? {a: 1}\n: 2\n",
		   "y.yaml:1:3: error: a mapping key must be a string, not a mapping\n");
}

static void test_nul_in_scalar(void **state)
{
	(void)state;
	LOAD_ERROR("a: \"x\\0y\"\n",
		   "y.yaml:1:4: error: a NUL character in a string is not supported\n");
	LOAD_ERROR("\"k\\0\": 1\n",
		   "y.yaml:1:1: error: a NUL character in a string is not supported\n");
}

/* 10,000 levels, in flow and block style: refused at level 65, before any
 * recursion deeper than the limit. */
static void test_deep_nesting(void **state)
{
	(void)state;
	struct strbuf sb = {0};
	for (int i = 0; i < 10000; i++) sb_putc(&sb, '[');
	for (int i = 0; i < 10000; i++) sb_putc(&sb, ']');
	sb_putc(&sb, '\n');
	expect_load_error(sb.buf, sb.len,
			  "y.yaml:1:65: error: nesting deeper than 64 levels is "
			  "not supported\n");
	sb_free(&sb);

	for (int i = 0; i < 10000; i++) sb_puts(&sb, "- ");
	sb_puts(&sb, "x\n");
	expect_load_error(sb.buf, sb.len,
			  "y.yaml:1:129: error: nesting deeper than 64 levels is "
			  "not supported\n");
	sb_free(&sb);

	for (int i = 0; i < 10000; i++) sb_puts(&sb, "{a: ");
	for (int i = 0; i < 10000; i++) sb_putc(&sb, '}');
	expect_load_error(sb.buf, sb.len,
			  "y.yaml:1:257: error: nesting deeper than 64 levels is "
			  "not supported\n");
	sb_free(&sb);
}

/* ---- checkers -------------------------------------------------------- */

static const char *const kinds_scan[] = {"scan", NULL};
static const char *const kinds_report[] = {"report", "lock", NULL};

/* Run check on text; expect exactly diag (or "" for success). */
static void check_diag(const char *text,
		       void (*check)(struct yaml_doc *d), const char *diag)
{
	struct yaml_doc d;
	load_ok(&d, text);
	tu_capture_begin();
	check(&d);
	char *out = tu_capture_end();
	assert_string_equal(out, diag);
	assert_int_equal(d.failed, diag[0] != 0);
	free(out);
	yaml_doc_free(&d);
}

static void chk_header_scan(struct yaml_doc *d)
{
	const char *k = yaml_check_header(d, kinds_scan);
	if (!d->failed) assert_string_equal(k, "scan");
	else assert_null(k);
}

static void chk_header_report(struct yaml_doc *d)
{
	const char *k = yaml_check_header(d, kinds_report);
	if (!d->failed) assert_ptr_equal(k, kinds_report[1]);
	else assert_null(k);
}

static void test_header(void **state)
{
	(void)state;
	check_diag("pkginit: 1\nkind: scan\n", chk_header_scan, "");
	check_diag("pkginit: 1\nkind: lock\n", chk_header_report, "");
	check_diag("pkginit: 2\nkind: scan\n", chk_header_scan,
		   "y.yaml:1:10: error: unsupported format version 2 (this "
		   "pkginit reads version 1); regenerate the file with this "
		   "pkginit\n");
	/* The version is checked before anything else may differ. */
	check_diag("kind: whatever\npkginit: 7\n", chk_header_scan,
		   "y.yaml:2:10: error: unsupported format version 7 (this "
		   "pkginit reads version 1); regenerate the file with this "
		   "pkginit\n");
	check_diag("pkginit: one\nkind: scan\n", chk_header_scan,
		   "y.yaml:1:10: error: field 'pkginit' must be a positive "
		   "integer (the format version)\n");
	check_diag("pkginit: \"1\"\nkind: scan\n", chk_header_scan,
		   "y.yaml:1:10: error: field 'pkginit' must be a positive "
		   "integer (the format version)\n");
	check_diag("kind: scan\n", chk_header_scan,
		   "y.yaml:1:1: error: not a pkginit file: missing field "
		   "'pkginit' (the format version)\n");
	check_diag("- pkginit: 1\n", chk_header_scan,
		   "y.yaml:1:1: error: not a pkginit file: expected a mapping "
		   "with 'pkginit: 1' at the top level\n");
	check_diag("pkginit: 1\nkind: report\n", chk_header_scan,
		   "y.yaml:2:7: error: wrong kind 'report': expected 'scan'\n");
	check_diag("pkginit: 1\nkind: scan\n", chk_header_report,
		   "y.yaml:2:7: error: wrong kind 'scan': expected 'report' or "
		   "'lock'\n");
	check_diag("pkginit: 1\n", chk_header_report,
		   "y.yaml:2:1: error: missing field 'kind'\n");
	check_diag("pkginit: 1\nkind: [scan]\n", chk_header_scan,
		   "y.yaml:2:7: error: field 'kind' must be a string, not a "
		   "sequence\n");
}

static void chk_fields(struct yaml_doc *d)
{
	static const char *const known[] = {"path", "line", NULL};
	yaml_check_fields(d, d->root, known);
}

static void test_unknown_field(void **state)
{
	(void)state;
	check_diag("path: a\nline: 3\n", chk_fields, "");
	check_diag("path: a\nlien: 3\n", chk_fields,
		   "y.yaml:2:1: error: unknown field 'lien'\n");
}

static void chk_uint(struct yaml_doc *d)
{
	unsigned n = yaml_get_uint(d, d->root, "line");
	assert_int_equal(n, d->failed ? 0 : 4294967295u);
}

static void test_integers(void **state)
{
	(void)state;
	check_diag("line: 4294967295\n", chk_uint, "");
	static const char *const bad[] = {
		"-3", "0", "\"7\"", "'7'", "seven", "4294967296", "007", "+7",
		"7.0", "0x7", "[7]", "{a: 7}", "", "99999999999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *text = xasprintf("line: %s\n", bad[i]);
		/* An empty value is located just after its colon. */
		check_diag(text, chk_uint, bad[i][0]
			   ? "y.yaml:1:7: error: field 'line' must be a positive integer\n"
			   : "y.yaml:1:6: error: field 'line' must be a positive integer\n");
		free(text);
	}
	check_diag("other: 1\n", chk_uint,
		   "y.yaml:2:1: error: missing field 'line'\n");
}

static void chk_str(struct yaml_doc *d)
{
	char *s = yaml_get_str(d, d->root, "path");
	if (d->failed) assert_null(s);
	else assert_non_null(s);
	free(s);
}

static void test_strings(void **state)
{
	(void)state;
	check_diag("path: 123\n", chk_str, "");
	check_diag("path: \"\"\n", chk_str, "");
	check_diag("path: 'null'\n", chk_str, "");
	check_diag("path: null\n", chk_str,
		   "y.yaml:1:7: error: field 'path' must be a string, not null\n");
	check_diag("path: ~\n", chk_str,
		   "y.yaml:1:7: error: field 'path' must be a string, not null\n");
	check_diag("path:\nx: 1\n", chk_str,
		   "y.yaml:1:6: error: field 'path' must be a string, not null\n");
	check_diag("path: {a: b}\n", chk_str,
		   "y.yaml:1:7: error: field 'path' must be a string, not a mapping\n");
}

static void chk_bool(struct yaml_doc *d)
{
	int b = yaml_get_bool(d, d->root, "flag");
	if (!d->failed) assert_int_equal(b, !strcmp(yaml_map_get(d->root, "flag")->str, "true"));
}

static void test_bools(void **state)
{
	(void)state;
	check_diag("flag: true\n", chk_bool, "");
	check_diag("flag: false\n", chk_bool, "");
	check_diag("flag: yes\n", chk_bool,
		   "y.yaml:1:7: error: field 'flag' must be true or false\n");
	check_diag("flag: \"true\"\n", chk_bool,
		   "y.yaml:1:7: error: field 'flag' must be true or false\n");
}

static void chk_seq_map(struct yaml_doc *d)
{
	const struct yaml_value *s = yaml_get_seq(d, d->root, "list");
	const struct yaml_value *m = yaml_get_map(d, d->root, "map");
	if (!d->failed) {
		assert_int_equal(s->kind, YAML_KIND_SEQ);
		assert_int_equal(m->kind, YAML_KIND_MAP);
	}
}

static void test_collections(void **state)
{
	(void)state;
	check_diag("list: []\nmap: {}\n", chk_seq_map, "");
	check_diag("list: x\nmap: {}\n", chk_seq_map,
		   "y.yaml:1:7: error: field 'list' must be a sequence, not a scalar\n");
	check_diag("list: []\nmap: [a]\n", chk_seq_map,
		   "y.yaml:2:6: error: field 'map' must be a mapping, not a sequence\n");
}

/* A missing field of a nested block mapping is reported where it ends,
 * with a note at its start, since the end is the next item's line. */
static void chk_nested(struct yaml_doc *d)
{
	const struct yaml_value *s = yaml_get_seq(d, d->root, "pkgs");
	for (size_t i = 0; s && i < s->n; i++) {
		const struct yaml_value *m = yaml_map(d, &s->items[i], "each item");
		free(yaml_get_str(d, m, "path"));
		yaml_get_seq(d, m, "inits");
	}
}

static void test_missing_nested(void **state)
{
	(void)state;
	check_diag("pkgs:\n"
		   "  - path: a\n"
		   "  - path: b\n"
		   "    inits: []\n", chk_nested,
		   "y.yaml:3:3: error: missing field 'inits'\n"
		   "y.yaml:2:5: note: in the mapping that starts here\n");
	check_diag("pkgs:\n"
		   "  - path: a\n"
		   "    x: 1\n"
		   "  - path: b\n"
		   "    inits: []\n", chk_nested,
		   "y.yaml:4:3: error: missing field 'inits'\n"
		   "y.yaml:2:5: note: in the mapping that starts here\n");
	check_diag("pkgs: [{path: a}]\n", chk_nested,
		   "y.yaml:1:16: error: missing field 'inits'\n");
	check_diag("pkgs: [1]\n", chk_nested,
		   "y.yaml:1:8: error: each item must be a mapping, not a scalar\n");
}

/* After the first error, checkers neither print nor return values. */
static void chk_sticky(struct yaml_doc *d)
{
	assert_int_equal(yaml_get_uint(d, d->root, "a"), 0);
	assert_null(yaml_get_str(d, d->root, "b"));
	assert_int_equal(yaml_get_uint(d, d->root, "c"), 0);
	assert_null(yaml_get(d, d->root, "missing"));
	yaml_fail(d, (struct loc){"y.yaml", 1, 1}, "not printed");
}

static void test_first_error_only(void **state)
{
	(void)state;
	check_diag("a: x\nb: ok\nc: 5\n", chk_sticky,
		   "y.yaml:1:4: error: field 'a' must be a positive integer\n");
}

/* ---- writing --------------------------------------------------------- */

static char *put_to_string(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	yaml_put_str(f, s);
	fclose(f);
	return buf;
}

static void test_quoting_decisions(void **state)
{
	(void)state;
	static const char *const plain[] = {
		".", "db", "db/db.c", "log/log.h", "/usr/include/stdio.h",
		"a b", "x-y", "a.b", "..", "main", "db_init", "a'b", "a\"b",
		"yesno", "nullx", "x?", "a!b", "a%b", "a@b",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
		char *s = put_to_string(plain[i]);
		assert_string_equal(s, plain[i]);
		assert_false(yaml_needs_quotes(plain[i]));
		free(s);
	}
	static const struct { const char *in, *out; } quoted[] = {
		{"", "\"\""},
		{"yes", "\"yes\""},
		{"No", "\"No\""},
		{"TRUE", "\"TRUE\""},
		{"off", "\"off\""},
		{"y", "\"y\""},
		{"null", "\"null\""},
		{"~", "\"~\""},
		{"1.0", "\"1.0\""},
		{"007", "\"007\""},
		{"2024/x", "\"2024/x\""},
		{".5", "\".5\""},
		{".inf", "\".inf\""},
		{".NaN", "\".NaN\""},
		{"+1", "\"+1\""},
		{"-x", "\"-x\""},
		{"a: b", "\"a: b\""},
		{"a:b", "\"a:b\""},
		{"x:", "\"x:\""},
		{"#x", "\"#x\""},
		{"a #b", "\"a #b\""},
		{"a,b", "\"a,b\""},
		{"[x]", "\"[x]\""},
		{"{x}", "\"{x}\""},
		{"a]b", "\"a]b\""},
		{"&x", "\"&x\""},
		{"*x", "\"*x\""},
		{"!x", "\"!x\""},
		{"|", "\"|\""},
		{">x", "\">x\""},
		{"'q'", "\"'q'\""},
		{"\"dq\"", "\"\\\"dq\\\"\""},
		{"%x", "\"%x\""},
		{"@x", "\"@x\""},
		{"`x", "\"`x\""},
		{"<<", "\"<<\""},
		{"=", "\"=\""},
		{" lead", "\" lead\""},
		{"trail ", "\"trail \""},
		{"back\\slash:", "\"back\\\\slash:\""},
		{"tab\there", "\"tab\\there\""},
		{"new\nline", "\"new\\nline\""},
		{"cr\r", "\"cr\\r\""},
		{"bell\a", "\"bell\\x07\""},
		{"del\x7f", "\"del\\x7F\""},
		{"caf\xc3\xa9", "\"caf\xc3\xa9\""},
		{"nel\xc2\x85", "\"nel\\x85\""},
		{"ls\xe2\x80\xa8", "\"ls\\u2028\""},
		{"bom\xef\xbb\xbf", "\"bom\\uFEFF\""},
		{"emoji\xf0\x9f\x98\x80", "\"emoji\xf0\x9f\x98\x80\""},
		{"bad\xff", "\"bad\\xFF\""},
	};
	for (size_t i = 0; i < sizeof quoted / sizeof *quoted; i++) {
		char *s = put_to_string(quoted[i].in);
		assert_string_equal(s, quoted[i].out);
		assert_true(yaml_needs_quotes(quoted[i].in));
		free(s);
	}
}

/* Everything the writer produces reads back as the same string, as a
 * mapping value and inside a flow sequence and a flow mapping. */
static void test_quoting_round_trip(void **state)
{
	(void)state;
	static const char *const strs[] = {
		"yes", "1.0", "a: b", "#x", "a path/with spaces.c", "", ".", "..",
		"No", "null", "~", "-", "- x", "---", "...", "x:", "[x]", "a,b",
		"{", "}", "@x", "'q'", "\"dq\"", "back\\slash", "tab\there",
		"new\nline", " lead", "trail ", "  ", ".5", ".inf", "0x1F", "+1",
		"007", "1e3", "1:20", "2001-12-14", "true", "off", "=", "<<",
		"caf\xc3\xa9", "\xe2\x80\xa8", "\xc2\x85", "x\xef\xbb\xbf",
		"a #b", "a%b", "*x", "&x", "!x", "|", ">", "?", "? x", "%x",
		"\x01\x02\x1f", "\xf0\x9f\x98\x80", "a  b", "\"", "\\",
	};
	size_t n = sizeof strs / sizeof *strs;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "k%zu: ", i);
		yaml_put_str(f, strs[i]);
		fputc('\n', f);
	}
	fputs("seq: ", f);
	yaml_put_str_seq(f, (char *const *)strs, n);
	fputs("\nflow: {", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%sk%zu: ", i ? ", " : "", i);
		yaml_put_str(f, strs[i]);
	}
	fputs("}\n", f);
	fclose(f);
	struct yaml_doc d;
	load_ok(&d, buf);
	const struct yaml_value *seq = yaml_map_get(d.root, "seq");
	const struct yaml_value *flow = yaml_map_get(d.root, "flow");
	assert_int_equal(seq->n, n);
	assert_int_equal(flow->n, n);
	for (size_t i = 0; i < n; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%zu", i);
		const struct yaml_value *v = yaml_map_get(d.root, key);
		assert_non_null(v);
		assert_string_equal(v->str, strs[i]);
		assert_string_equal(seq->items[i].str, strs[i]);
		assert_string_equal(yaml_map_get(flow, key)->str, strs[i]);
		/* A string reads back as a string, never as null. */
		char *s = yaml_str(&d, v, "it");
		assert_string_equal(s, strs[i]);
		free(s);
	}
	assert_false(d.failed);
	yaml_doc_free(&d);
	free(buf);
}

static void test_put_seq(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *items[] = {"log", "yes", "", "a b"};
	yaml_put_str_seq(f, items, 4);
	fputc('|', f);
	yaml_put_str_seq(f, NULL, 0);
	fclose(f);
	assert_string_equal(buf, "[log, \"yes\", \"\", a b]|[]");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_shape_and_locations),
		cmocka_unit_test(test_load_mem_and_explicit_document),
		cmocka_unit_test(test_depth_64_is_accepted),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory_is_unreadable),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_aliases_anchors_tags),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_nul_in_scalar),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_missing_nested),
		cmocka_unit_test(test_first_error_only),
		cmocka_unit_test(test_quoting_decisions),
		cmocka_unit_test(test_quoting_round_trip),
		cmocka_unit_test(test_put_seq),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
