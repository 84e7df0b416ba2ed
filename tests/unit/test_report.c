/*
 * test_report.c - reports and lock files (tool/report.c): the exact
 * format from a hand-built graph, what report_from_plan keeps and drops,
 * round trips, and bad lock files with their exact diagnostics.
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

/* ---- a graph by hand ------------------------------------------------- */

static void add_edge(struct package *p, size_t to, enum edge_kind k)
{
	struct edge e = {to, k, {NULL, 0, 0}, NULL};
	VEC_PUSH(p->imports, p->nimports, p->capimports, e);
}

static void add_init(struct package *p, const char *name, const char *file,
		     const char *fname, unsigned line, unsigned col)
{
	struct init_fn fn = {.name = xstrdup(name), .file = xstrdup(file),
			     .fname = xstrdup(fname), .line = line, .col = col};
	VEC_PUSH(p->inits, p->ninits, p->capinits, fn);
}

/* config, db, log, main, util (sorted by path, as graph.c keeps them). */
enum { CONFIG, DB, LOG, MAIN, UTIL, NPKGS };

static void sample_graph(struct graph *g)
{
	static const char *const paths[] = {"config", "db", "log", "main", "util"};
	*g = (struct graph){0};
	g->npkgs = NPKGS;
	g->pkgs = xcalloc(NPKGS, sizeof *g->pkgs);
	for (size_t i = 0; i < NPKGS; i++) {
		g->pkgs[i].path = xstrdup(paths[i]);
		g->pkgs[i].dir = xstrdup(i == MAIN ? "cmd/app" : paths[i]);
	}
	g->main = MAIN;
	add_edge(&g->pkgs[CONFIG], LOG, EDGE_INCLUDE);
	/* First-occurrence order, a duplicate, and both explicit kinds. */
	add_edge(&g->pkgs[DB], LOG, EDGE_INCLUDE);
	add_edge(&g->pkgs[DB], CONFIG, EDGE_IMPORT);
	add_edge(&g->pkgs[DB], CONFIG, EDGE_INCLUDE);
	add_edge(&g->pkgs[MAIN], DB, EDGE_INCLUDE);
	add_edge(&g->pkgs[MAIN], UTIL, EDGE_IMPLICIT);
	add_init(&g->pkgs[LOG], "log_init", "src/log/log.c", "log/log.c", 7, 6);
	add_init(&g->pkgs[CONFIG], "config_init", "src/config/config.c",
		 "config/config.c", 12, 6);
	add_init(&g->pkgs[CONFIG], "config_load", "src/config/load.c",
		 "config/load.c", 3, 1);
	add_init(&g->pkgs[DB], "db_init", "src/db/db.c", "db/db.c", 5, 6);
}

static const size_t sample_order[] = {LOG, CONFIG, DB, UTIL, MAIN};

static const char sample_text[] =
	"pkginit: 1\n"
	"kind: report\n"
	"order: lex\n"
	"main: main\n"
	"packages:\n"
	"  - path: log\n"
	"    imports: []\n"
	"    inits:\n"
	"      - {name: log_init, file: log/log.c, line: 7}\n"
	"  - path: config\n"
	"    imports: [log]\n"
	"    inits:\n"
	"      - {name: config_init, file: config/config.c, line: 12}\n"
	"      - {name: config_load, file: config/load.c, line: 3}\n"
	"  - path: db\n"
	"    imports: [config, log]\n"
	"    inits:\n"
	"      - {name: db_init, file: db/db.c, line: 5}\n"
	"  - path: util\n"
	"    imports: []\n"
	"    inits: []\n"
	"  - path: main\n"
	"    imports: [db]\n"
	"    inits: []\n";

static void free_graph(struct graph *g)
{
	for (size_t i = 0; i < g->npkgs; i++) {
		struct package *p = &g->pkgs[i];
		free(p->path);
		free(p->dir);
		free(p->imports);
		for (size_t j = 0; j < p->ninits; j++) {
			free(p->inits[j].name);
			free(p->inits[j].file);
			free(p->inits[j].fname);
		}
		free(p->inits);
	}
	free(g->pkgs);
	strmap_free(&g->index);
	*g = (struct graph){0};
}

/* The graph a report describes, to write it again: packages in report
 * order, so the order is the identity. */
static void graph_from_report(const struct report *r, struct graph *g,
			      size_t **order)
{
	*g = (struct graph){0};
	g->npkgs = r->npkgs;
	g->pkgs = xcalloc(r->npkgs, sizeof *g->pkgs);
	g->main = GRAPH_NONE;
	*order = xcalloc(r->npkgs, sizeof **order);
	for (size_t i = 0; i < r->npkgs; i++) {
		g->pkgs[i].path = xstrdup(r->pkgs[i].path);
		if (r->main && !strcmp(r->main, r->pkgs[i].path)) g->main = i;
		(*order)[i] = i;
	}
	for (size_t i = 0; i < r->npkgs; i++) {
		for (size_t j = 0; j < r->pkgs[i].nimports; j++)
			for (size_t k = 0; k < r->npkgs; k++)
				if (!strcmp(r->pkgs[k].path, r->pkgs[i].imports[j]))
					add_edge(&g->pkgs[i], k, EDGE_IMPORT);
		for (size_t j = 0; j < r->pkgs[i].ninits; j++)
			add_init(&g->pkgs[i], r->pkgs[i].inits[j].name,
				 r->pkgs[i].inits[j].file, r->pkgs[i].inits[j].file,
				 r->pkgs[i].inits[j].line, 1);
	}
}

static char *write_to_string(const struct graph *g, enum order_mode mode,
			     const size_t *order)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct plan p;
	plan_from_order(&p, g, mode, order);
	report_write(f, g, &p);
	plan_free(&p);
	fclose(f);
	return buf;
}

static void assert_reports_equal(const struct report *a, const struct report *b)
{
	assert_string_equal(a->order, b->order);
	if (a->main || b->main) assert_string_equal(a->main, b->main);
	assert_int_equal(a->npkgs, b->npkgs);
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct report_pkg *p = &a->pkgs[i], *q = &b->pkgs[i];
		assert_string_equal(p->path, q->path);
		assert_int_equal(p->nimports, q->nimports);
		for (size_t j = 0; j < p->nimports; j++)
			assert_string_equal(p->imports[j], q->imports[j]);
		assert_int_equal(p->ninits, q->ninits);
		for (size_t j = 0; j < p->ninits; j++) {
			assert_string_equal(p->inits[j].name, q->inits[j].name);
			assert_string_equal(p->inits[j].file, q->inits[j].file);
			assert_int_equal(p->inits[j].line, q->inits[j].line);
		}
	}
}

static void assert_report_empty(const struct report *r)
{
	static const struct report zero;
	assert_memory_equal(r, &zero, sizeof zero);
}

static int read_quiet(const char *path, struct report *r)
{
	tu_capture_begin();
	int rc = report_read(path, r);
	char *out = tu_capture_end();
	assert_string_equal(out, "");
	free(out);
	return rc;
}

/* ---- tests ----------------------------------------------------------- */

static void test_write_format(void **state)
{
	(void)state;
	struct graph g;
	sample_graph(&g);
	char *text = write_to_string(&g, ORDER_LEX, sample_order);
	assert_string_equal(text, sample_text);
	free(text);
	free_graph(&g);
}

/* The report (and so the lock) describes the order: whether an init
 * function returns int is not in it. */
static void test_returns_not_reported(void **state)
{
	(void)state;
	struct graph g;
	sample_graph(&g);
	for (size_t i = 0; i < g.npkgs; i++)
		for (size_t j = 0; j < g.pkgs[i].ninits; j++)
			g.pkgs[i].inits[j].returns_int = 1;
	char *text = write_to_string(&g, ORDER_LEX, sample_order);
	assert_string_equal(text, sample_text);
	free(text);
	free_graph(&g);
}

static void test_from_graph(void **state)
{
	(void)state;
	struct graph g;
	sample_graph(&g);
	struct report r;
	{ struct plan p_; plan_from_order(&p_, &g, ORDER_IMPORT, sample_order); report_from_plan(&r, &g, &p_); plan_free(&p_); }
	assert_string_equal(r.order, "import");
	assert_string_equal(r.main, "main");
	assert_int_equal(r.npkgs, NPKGS);
	assert_string_equal(r.pkgs[2].path, "db");
	assert_int_equal(r.pkgs[2].nimports, 2);
	assert_string_equal(r.pkgs[2].imports[0], "config");
	assert_string_equal(r.pkgs[2].imports[1], "log");
	/* The implicit import of util by main is not listed. */
	assert_int_equal(r.pkgs[4].nimports, 1);
	assert_string_equal(r.pkgs[4].imports[0], "db");
	/* Inits carry the root-relative name; at points at the source. */
	assert_string_equal(r.pkgs[1].inits[1].name, "config_load");
	assert_string_equal(r.pkgs[1].inits[1].file, "config/load.c");
	assert_int_equal(r.pkgs[1].inits[1].line, 3);
	assert_string_equal(r.pkgs[1].inits[1].at.file, "src/config/load.c");
	assert_int_equal(r.pkgs[1].inits[1].at.col, 1);
	report_free(&r);
	assert_report_empty(&r);
	free_graph(&g);
}

static void test_read_and_locations(void **state)
{
	(void)state;
	tu_put_file("lock.yaml", sample_text, sizeof sample_text - 1);
	struct report r;
	assert_int_equal(read_quiet("lock.yaml", &r), 0);
	struct graph g;
	sample_graph(&g);
	struct report want;
	{ struct plan p_; plan_from_order(&p_, &g, ORDER_LEX, sample_order); report_from_plan(&want, &g, &p_); plan_free(&p_); }
	assert_reports_equal(&r, &want);
	/* Packages point at their mapping, inits at theirs. */
	assert_string_equal(r.pkgs[1].at.file, "lock.yaml");
	assert_int_equal(r.pkgs[1].at.line, 10);
	assert_int_equal(r.pkgs[1].at.col, 5);
	assert_string_equal(r.pkgs[1].inits[1].at.file, "lock.yaml");
	assert_int_equal(r.pkgs[1].inits[1].at.line, 14);
	assert_int_equal(r.pkgs[1].inits[1].at.col, 9);
	report_free(&want);
	report_free(&r);
	free_graph(&g);
}

/* write -> read -> write gives the same bytes. */
static void round_trip(const struct graph *g, enum order_mode mode,
		       const size_t *order)
{
	char *text = write_to_string(g, mode, order);
	tu_put_file("rt.yaml", text, strlen(text));
	struct report r;
	assert_int_equal(read_quiet("rt.yaml", &r), 0);
	struct report want;
	{ struct plan p_; plan_from_order(&p_, g, mode, order); report_from_plan(&want, g, &p_); plan_free(&p_); }
	assert_reports_equal(&r, &want);
	report_free(&want);
	struct graph g2;
	size_t *order2;
	graph_from_report(&r, &g2, &order2);
	char *again = write_to_string(&g2, mode, order2);
	assert_string_equal(again, text);
	free(again);
	free(order2);
	free_graph(&g2);
	report_free(&r);
	free(text);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct graph g;
	sample_graph(&g);
	round_trip(&g, ORDER_LEX, sample_order);
	round_trip(&g, ORDER_IMPORT, sample_order);
	free_graph(&g);
}

static void test_awkward_paths(void **state)
{
	(void)state;
	static const char *const paths[] = {"~", "1.0", "a b", "main", "yes",
					    "#x", "a: b"};
	struct graph g = {0};
	g.npkgs = sizeof paths / sizeof *paths;
	g.pkgs = xcalloc(g.npkgs, sizeof *g.pkgs);
	size_t order[sizeof paths / sizeof *paths];
	for (size_t i = 0; i < g.npkgs; i++) {
		g.pkgs[i].path = xstrdup(paths[i]);
		order[i] = i;
		if (i) add_edge(&g.pkgs[i], i - 1, EDGE_INCLUDE);
	}
	g.main = 3;
	add_init(&g.pkgs[4], "null", "x/on.c", "- on.c", 1, 1);
	char *text = write_to_string(&g, ORDER_LEX, order);
	assert_non_null(strstr(text, "  - path: \"yes\"\n    imports: [main]\n"
			       "    inits:\n"
			       "      - {name: \"null\", file: \"- on.c\", line: 1}\n"));
	assert_non_null(strstr(text, "  - path: \"a: b\"\n    imports: [\"#x\"]\n"));
	assert_non_null(strstr(text, "  - path: \"1.0\"\n    imports: [\"~\"]\n"));
	free(text);
	round_trip(&g, ORDER_LEX, order);
	free_graph(&g);
}

/* pkginit graph on a library: no main package, no main field. */
static void test_no_main(void **state)
{
	(void)state;
	struct graph g;
	sample_graph(&g);
	g.main = GRAPH_NONE;
	char *text = write_to_string(&g, ORDER_LEX, sample_order);
	assert_non_null(strstr(text, "order: lex\npackages:\n"));
	assert_null(strstr(text, "main: "));
	free(text);
	round_trip(&g, ORDER_LEX, sample_order);
	const char nomain[] = "pkginit: 1\nkind: lock\norder: lex\npackages: []\n";
	tu_put_file("nomain.yaml", nomain, sizeof nomain - 1);
	struct report r;
	assert_int_equal(read_quiet("nomain.yaml", &r), 0);
	assert_null(r.main);
	assert_int_equal(r.npkgs, 0);
	report_free(&r);
	free_graph(&g);
}

static void test_empty_graph(void **state)
{
	(void)state;
	struct graph g = {0};
	g.main = GRAPH_NONE;
	char *text = write_to_string(&g, ORDER_IMPORT, NULL);
	assert_string_equal(text, "pkginit: 1\nkind: report\norder: import\n"
			    "packages: []\n");
	free(text);
}

/* ---- bad lock files -------------------------------------------------- */

static void expect_variant(const char *old, const char *new, const char *diag)
{
	tu_put_variant("l.yaml", sample_text, old, new);
	struct report r;
	memset(&r, 0x5a, sizeof r);
	tu_capture_begin();
	int rc = report_read("l.yaml", &r);
	char *out = tu_capture_end();
	assert_string_equal(out, diag);
	assert_int_equal(rc, EXIT_INPUT);
	assert_report_empty(&r);
	free(out);
}

static void test_kinds(void **state)
{
	(void)state;
	const char lock[] = "pkginit: 1\nkind: lock\norder: import\nmain: m\n"
			    "packages:\n  - {path: m, imports: [], inits: []}\n";
	tu_put_file("k.yaml", lock, sizeof lock - 1);
	struct report r;
	assert_int_equal(read_quiet("k.yaml", &r), 0);
	assert_string_equal(r.order, "import");
	assert_string_equal(r.pkgs[0].path, "m");
	report_free(&r);
	expect_variant("kind: report", "kind: scan",
		       "l.yaml:2:7: error: wrong kind 'scan': expected 'report' or "
		       "'lock'\n");
	expect_variant("pkginit: 1", "pkginit: 2",
		       "l.yaml:1:10: error: unsupported format version 2 (this "
		       "pkginit reads version 1); regenerate the file with this "
		       "pkginit\n");
}

static void test_bad_fields(void **state)
{
	(void)state;
	expect_variant("order: lex", "order: fast",
		       "l.yaml:3:8: error: field 'order' must be 'lex' or 'import', "
		       "not 'fast'\n");
	expect_variant("order: lex\n", "",
		       "l.yaml:24:1: error: missing field 'order'\n");
	expect_variant("main: main\n", "mian: main\n",
		       "l.yaml:4:1: error: unknown field 'mian'\n");
	expect_variant("    imports: [db]\n", "    imports: [db]\n    deps: []\n",
		       "l.yaml:24:5: error: unknown field 'deps'\n");
	expect_variant("line: 7}", "line: 7, col: 1}",
		       "l.yaml:9:52: error: unknown field 'col'\n");
	expect_variant("line: 7}", "line: -7}",
		       "l.yaml:9:49: error: field 'line' must be a positive integer\n");
	expect_variant("line: 12}", "line: twelve}",
		       "l.yaml:13:58: error: field 'line' must be a positive integer\n");
	expect_variant("    imports: [log]\n", "",
		       "l.yaml:14:3: error: missing field 'imports'\n"
		       "l.yaml:10:5: note: in the mapping that starts here\n");
	expect_variant("    inits: []\n", "",
		       "l.yaml:21:3: error: missing field 'inits'\n"
		       "l.yaml:19:5: note: in the mapping that starts here\n");
	expect_variant("imports: [db]", "imports: db",
		       "l.yaml:23:14: error: field 'imports' must be a sequence, not "
		       "a scalar\n");
	expect_variant("imports: [db]", "imports: [[db]]",
		       "l.yaml:23:15: error: each item of 'imports' must be a string, "
		       "not a sequence\n");
	expect_variant("  - path: log\n", "  - log\n  - path: log\n",
		       "l.yaml:6:5: error: each item of 'packages' must be a mapping, "
		       "not a scalar\n");
	expect_variant("{name: db_init, ", "{name: ~, ",
		       "l.yaml:18:16: error: field 'name' must be a string, not null\n");
}

static void test_bad_refs(void **state)
{
	(void)state;
	expect_variant("path: util", "path: log",
		       "l.yaml:19:11: error: package 'log' is listed twice\n"
		       "l.yaml:6:5: note: first listed here\n");
	expect_variant("imports: [config, log]", "imports: [config, lg]",
		       "l.yaml:16:23: error: import 'lg' is not one of the packages "
		       "listed\n");
	expect_variant("main: main", "main: app",
		       "l.yaml:4:7: error: main package 'app' is not one of the "
		       "packages listed\n");
}

static void test_bad_yaml(void **state)
{
	(void)state;
	expect_variant("kind: report\n", "kind: report\nkind: lock\n",
		       "l.yaml:3:1: error: duplicate key 'kind'\n"
		       "l.yaml:2:1: note: 'kind' first appears here\n");
	expect_variant("imports: [log]", "imports: &l [log]",
		       "l.yaml:11:14: error: anchors and aliases are not supported "
		       "(found '&l')\n");
	expect_variant("    inits: []\n  - path: main", "    inits: []\n  - path: main\n  ]",
		       "l.yaml:23:3: error: invalid YAML: did not find expected "
		       "'-' indicator (while parsing a block collection started "
		       "at line 6, column 3)\n");
	expect_variant(sample_text, "",
		       "l.yaml:1:1: error: the file is empty (no YAML document)\n");
	struct report r;
	tu_capture_begin();
	int rc = report_read("absent.yaml", &r);
	char *out = tu_capture_end();
	assert_int_equal(rc, EXIT_INPUT);
	assert_string_equal(out, "pkginit: error: cannot read 'absent.yaml': "
			    "No such file or directory\n");
	assert_report_empty(&r);
	free(out);
}

/* Every prefix of a lock file but the whole is refused, with one error. */
static void test_truncated(void **state)
{
	(void)state;
	size_t len = sizeof sample_text - 1;
	for (size_t cut = 0; cut < len - 1; cut++) {
		tu_put_file("cut.yaml", sample_text, cut);
		struct report r;
		tu_capture_begin();
		int rc = report_read("cut.yaml", &r);
		char *out = tu_capture_end();
		if (rc != EXIT_INPUT) fail_msg("cut at %zu accepted", cut);
		assert_report_empty(&r);
		unsigned line, col;
		assert_int_equal(sscanf(out, "cut.yaml:%u:%u: error: ", &line, &col), 2);
		char *second = strstr(out + 1, "error:");
		assert_true(!second || !strstr(second + 1, "error:"));
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_format),
		cmocka_unit_test(test_returns_not_reported),
		cmocka_unit_test(test_from_graph),
		cmocka_unit_test(test_read_and_locations),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_awkward_paths),
		cmocka_unit_test(test_no_main),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_bad_refs),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
