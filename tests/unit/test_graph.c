/*
 * test_graph.c - from scan records to packages, imports and main; the
 * errors graph_build reports; strongly connected components.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "graph_fixture.h"

/* Build, expecting failure with exactly `want` on the diagnostic stream. */
static void check_errors(const char *const *recs, size_t n,
			 const struct graph_opts *o, const char *want)
{
	struct graph g;
	fx_diag_begin();
	int rc = fx_build(&g, recs, n, o);
	char *got = fx_diag_end();
	assert_string_equal(got, want);
	assert_int_equal(rc, EXIT_ORDER);
	assert_int_equal(g.npkgs, 0);   /* nothing half-built is left */
	free(got);
	graph_free(&g);
}

/* "path(dir): init init ..." per package, for whole-graph comparisons. */
static char *pkgs_str(const struct graph *g)
{
	struct strbuf sb = {0};
	for (size_t i = 0; i < g->npkgs; i++) {
		const struct package *p = &g->pkgs[i];
		sb_printf(&sb, "%s(%s)%s:", p->path, p->dir,
			  i == g->main ? "*" : "");
		for (size_t j = 0; j < p->ninits; j++)
			sb_printf(&sb, " %s@%s:%u", p->inits[j].name,
				  p->inits[j].fname, p->inits[j].line);
		sb_putc(&sb, '\n');
	}
	return sb_detach(&sb);
}

static void test_packages_and_main(void **state)
{
	(void)state;
	const char *recs[] = {
		("cmd/tool/main.c; cmd/tool/main.c:1 includes log/log.h; "
		 "init tool_init cmd/tool/main.c:9; main cmd/tool/main.c:20:5"),
		("log/log.c; log/log.c:1 includes log/log.h; "
		 "init log_init2 log/log.c:30; init log_init log/log.c:12"),
		"log/extra.c; init log_extra log/extra.c:50",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 3, NULL), 0);
	char *s = pkgs_str(&g);
	/* main is named main, keeps its directory; inits by file, then line. */
	assert_string_equal(s,
		"log(log): log_extra@log/extra.c:50 log_init@log/log.c:12 "
		"log_init2@log/log.c:30\n"
		"main(cmd/tool)*: tool_init@cmd/tool/main.c:9\n");
	free(s);
	assert_int_equal(graph_find(&g, "main"), g.main);
	assert_int_equal(graph_find(&g, "log"), 0);
	assert_int_equal(graph_find(&g, "cmd/tool"), GRAPH_NONE);
	assert_int_equal(graph_find(&g, "nope"), GRAPH_NONE);
	const struct init_fn *fn = &g.pkgs[0].inits[1];
	assert_string_equal(fn->file, "log/log.c");
	assert_int_equal(fn->col, 0);
	graph_free(&g);
}

static void test_no_main(void **state)
{
	(void)state;
	const char *recs[] = {"a/a.c; init a_init a/a.c:1"};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 1, NULL), 0);
	assert_int_equal(g.main, GRAPH_NONE);
	assert_int_equal(g.npkgs, 1);
	assert_int_equal(g.pkgs[0].nimports, 0);
	graph_free(&g);

	struct graph_opts o = {.need_main = 1};
	check_errors(recs, 1, &o, "pkginit: error: no package defines main\n");
}

static void test_root_package(void **state)
{
	(void)state;
	/* A file at the root is in package "."; main there is still main. */
	const char *recs[] = {"m.c; m.c:1 includes lib/l.h; main m.c:2:5",
			      "lib/l.c; init l_init lib/l.c:1"};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 2, NULL), 0);
	char *s = pkgs_str(&g);
	assert_string_equal(s, "lib(lib): l_init@lib/l.c:1\nmain(.)*:\n");
	free(s);
	graph_free(&g);
}

static void test_two_mains(void **state)
{
	(void)state;
	const char *recs[] = {"b/b.c; main b/b.c:3:5", "a/a.c; main a/a.c:7:5",
			      "c/c.c"};
	check_errors(recs, 3, NULL,
		"b/b.c:3:5: error: main defined in package 'a' and in package 'b'\n"
		"a/a.c:7:5: note: main of package 'a' is defined here\n"
		"pkginit: note: use --main PATH to choose\n");

	const char *three[] = {"b/b.c; main b/b.c:3:5", "a/a.c; main a/a.c:7:5",
			       "c/c.c; main c/c.c:1:5"};
	check_errors(three, 3, NULL,
		"b/b.c:3:5: error: main defined in package 'a' and in package 'b'\n"
		"a/a.c:7:5: note: main of package 'a' is defined here\n"
		"c/c.c:1:5: error: main defined in package 'a' and in package 'c'\n"
		"a/a.c:7:5: note: main of package 'a' is defined here\n"
		"pkginit: note: use --main PATH to choose\n");

	/* "--main main" does not say which. */
	struct graph_opts o = {.main = "main"};
	check_errors(recs, 3, &o,
		"b/b.c:3:5: error: main defined in package 'a' and in package 'b'\n"
		"a/a.c:7:5: note: main of package 'a' is defined here\n"
		"pkginit: note: use --main PATH to choose\n");
}

static void test_main_option(void **state)
{
	(void)state;
	const char *recs[] = {"b/b.c; main b/b.c:3:5; b/b.c:1 includes c/c.h",
			      "a/a.c; main a/a.c:7:5", "c/c.c"};
	struct graph_opts o = {.main = "b/"};   /* normalized */
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 3, &o), 0);
	char *s = pkgs_str(&g);
	/* a/a.c defines another main: another program's TU, left out, and
	 * package a with it (nothing else of this program is in it). */
	assert_string_equal(s, "c(c):\nmain(b)*:\n");
	free(s);
	char *e = fx_edges(&g);
	assert_string_equal(e, "main -> c include b/b.c:1\n");
	free(e);
	assert_string_equal(g.main_file, "b/b.c");
	assert_false(g.main_alone);
	graph_free(&g);

	/* With a single main, "--main main" and its directory both name it. */
	const char *one[] = {"b/b.c; main b/b.c:3:5", "a/a.c"};
	o.main = "main";
	assert_int_equal(fx_build(&g, one, 2, &o), 0);
	assert_string_equal(g.pkgs[g.main].dir, "b");
	graph_free(&g);
	o.main = "b";
	assert_int_equal(fx_build(&g, one, 2, &o), 0);
	assert_string_equal(g.pkgs[g.main].dir, "b");
	graph_free(&g);

	o.main = "c";
	check_errors(recs, 3, &o,
		"pkginit: error: --main c: package 'c' does not define main\n"
		"a/a.c:7:5: note: main is defined in package 'a'\n"
		"b/b.c:3:5: note: main is defined in package 'b'\n");
	o.main = "zz";
	check_errors(recs, 3, &o,
		"pkginit: error: --main zz: no scanned file is in package 'zz'\n"
		"a/a.c:7:5: note: main is defined in package 'a'\n"
		"b/b.c:3:5: note: main is defined in package 'b'\n");
}

static void test_main_name_clash(void **state)
{
	(void)state;
	const char *recs[] = {"app/x.c; main app/x.c:1:5", "main/m.c",
			      "main/a.h"};
	check_errors(recs, 3, NULL,
		"main/a.h: error: package 'main' has the name of the main "
		"package (main is defined in package 'app')\n"
		"app/x.c:1:5: note: main is defined here\n");

	/* A directory called main that defines main is simply main. */
	const char *ok[] = {"main/m.c; main main/m.c:1:5", "lib/l.c"};
	struct graph g;
	assert_int_equal(fx_build(&g, ok, 2, NULL), 0);
	assert_string_equal(g.pkgs[g.main].dir, "main");
	graph_free(&g);
}

static void test_init_functions(void **state)
{
	(void)state;
	/* The same definition seen by several records is one function. */
	const char *same[] = {
		"a/a.c; init a_init a/a.c:3:6",
		"a/b.c; a/b.c:1 includes a/a.c; init a_init a/a.c:3:6",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, same, 2, NULL), 0);
	assert_int_equal(g.pkgs[0].ninits, 1);
	graph_free(&g);

	const char *dup[] = {
		"b/b.c; init f b/b.c:5:6; init g b/b.c:9:6",
		"a/a.c; init f a/a.c:3:6",
		"c/c.c; init f c/c.c:1:6; init g c/c.c:2:6",
		/* a second copy of b.c's definitions: no second error */
		"b/x.c; b/x.c:1 includes b/b.c; init f b/b.c:5:6",
	};
	check_errors(dup, 4, NULL,
		"b/b.c:5:6: error: init function 'f' defined twice\n"
		"a/a.c:3:6: note: 'f' is first defined here\n"
		"c/c.c:1:6: error: init function 'f' defined twice\n"
		"a/a.c:3:6: note: 'f' is first defined here\n"
		"c/c.c:2:6: error: init function 'g' defined twice\n"
		"b/b.c:9:6: note: 'g' is first defined here\n");
}

static void test_pkg_import(void **state)
{
	(void)state;
	const char *recs[] = {
		("a/a.c; import b a/a.c:2:1; import a a/a.c:3:1; "
		 "a/a.c:5 includes b/b.h"),
		"b/b.c",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 2, NULL), 0);
	char *e = fx_edges(&g);
	/* The PKG_IMPORT comes first, so it supplies the place; importing
	 * one's own package is no edge. */
	assert_string_equal(e, "a -> b import a/a.c:2:1\n");
	free(e);
	graph_free(&g);

	/* Unknown packages, reported once though two records see them. */
	const char *unknown[] = {
		"a/a.c; a/a.c:1 includes a/a.h; import zz a/a.h:2:1",
		("a/b.c; a/b.c:1 includes a/a.h; import zz a/a.h:2:1; "
		 "import a/b a/b.c:4:1"),
	};
	check_errors(unknown, 2, NULL,
		"a/a.h:2:1: error: PKG_IMPORT of unknown package 'zz'\n"
		"a/a.h:2:1: note: no scanned file is in package 'zz'\n"
		"a/b.c:4:1: error: PKG_IMPORT of unknown package 'a/b'\n"
		"a/b.c:4:1: note: no scanned file is in package 'a/b'\n");

	/* The main package cannot be imported, by either of its names. */
	const char *main_imp[] = {
		"app/m.c; main app/m.c:1:5",
		"b/b.c; import main b/b.c:1:1; import app b/b.c:2:1",
		/* main importing itself is no error, just no edge */
		"app/m.c; import main app/m.c:1:1; import app app/m.c:2:1",
	};
	check_errors(main_imp, 3, NULL,
		"b/b.c:1:1: error: PKG_IMPORT(\"main\") names the main package, "
		"which cannot be imported\n"
		"b/b.c:2:1: error: PKG_IMPORT(\"app\") names the main package, "
		"which cannot be imported\n");
	/* When app holds another file, PKG_IMPORT("app") makes main's file
	 * a package of its own, and names the rest of app (see
	 * test_main_alone); PKG_IMPORT("main") is still refused. */
	const char *lib_imp[] = {
		"app/m.c; main app/m.c:1:5",
		"b/b.c; import main b/b.c:1:1; import app b/b.c:2:1",
		"app/n.c; import main app/n.c:1:1; import app app/n.c:2:1",
	};
	check_errors(lib_imp, 3, NULL,
		"app/n.c:1:1: error: PKG_IMPORT(\"main\") names the main package, "
		"which cannot be imported\n"
		"b/b.c:1:1: error: PKG_IMPORT(\"main\") names the main package, "
		"which cannot be imported\n");
}

static void test_pkg_package(void **state)
{
	(void)state;
	/* extra.c lives in a/ but says it is in b: its init and its
	 * #include belong to b, and a's own #include of b.h is an import. */
	const char *recs[] = {
		"a/a.c; a/a.c:1 includes b/b.h; init a_init a/a.c:9",
		("a/extra.c; package b a/extra.c:1:1; a/extra.c:2 includes c/c.h; "
		 "init extra_init a/extra.c:5"),
		"b/b.c; init b_init b/b.c:4",
		"c/c.c",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 4, NULL), 0);
	char *s = pkgs_str(&g);
	assert_string_equal(s, "a(a): a_init@a/a.c:9\n"
			       "b(b): extra_init@a/extra.c:5 b_init@b/b.c:4\n"
			       "c(c):\n");
	free(s);
	char *e = fx_edges(&g);
	assert_string_equal(e, "a -> b include a/a.c:1\n"
			       "b -> c include a/extra.c:2\n");
	free(e);
	graph_free(&g);

	/* A package that exists only through PKG_PACKAGE. */
	const char *virt[] = {"x/x.c; package virt x/x.c:1:1; init v x/x.c:2"};
	assert_int_equal(fx_build(&g, virt, 1, NULL), 0);
	s = pkgs_str(&g);
	assert_string_equal(s, "virt(virt): v@x/x.c:2\n");
	free(s);
	graph_free(&g);

	const char *conflict[] = {
		("a/a.c; package x a/a.c:1:1; package x a/a.c:2:1; "
		 "package y a/a.c:3:1"),
		"a/b.c; a/b.c:1 includes a/a.c; package y a/a.c:3:1",
	};
	check_errors(conflict, 2, NULL,
		"a/a.c:3:1: error: PKG_PACKAGE(\"y\") conflicts with the earlier "
		"PKG_PACKAGE(\"x\") in this file\n"
		"a/a.c:1:1: note: earlier PKG_PACKAGE is here\n");
}

static void test_includes_outside_project(void **state)
{
	(void)state;
	/* An include whose either end is not a project file is no import. */
	struct scan_record r = fx_record(
		"a/a.c; a/a.c:1 includes sys/s.h; a/a.c:2 includes b/b.h; "
		"a/a.c:3 includes c/c.h; file c/c.c");
	/* Drop sys/s.h from the project files: it is outside every root. */
	size_t k = 0;
	for (size_t i = 0; i < r.nfiles; i++) {
		if (!strcmp(r.files[i].path, "sys/s.h")) {
			free(r.files[i].path);
			free(r.files[i].name);
			free(r.files[i].package);
			continue;
		}
		r.files[k++] = r.files[i];
	}
	r.nfiles = k;
	struct graph g;
	assert_int_equal(graph_build(&g, &r, 1, NULL), 0);
	char *e = fx_edges(&g);
	assert_string_equal(e, "a -> b include a/a.c:2\n"
			       "a -> c include a/a.c:3\n");
	free(e);
	graph_free(&g);
	fx_record_free(&r);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	const char *recs[] = {
		"a/a.c; main a/a.c:1:5; import nope a/a.c:2:1; init f a/a.c:3:6",
		"b/b.c; main b/b.c:1:5; init f b/b.c:3:6",
	};
	check_errors(recs, 2, NULL,
		"b/b.c:1:5: error: main defined in package 'a' and in package 'b'\n"
		"a/a.c:1:5: note: main of package 'a' is defined here\n"
		"pkginit: note: use --main PATH to choose\n"
		"b/b.c:3:6: error: init function 'f' defined twice\n"
		"a/a.c:3:6: note: 'f' is first defined here\n"
		"a/a.c:2:1: error: PKG_IMPORT of unknown package 'nope'\n"
		"a/a.c:2:1: note: no scanned file is in package 'nope'\n");
}

static void test_file_disagreement_warns(void **state)
{
	(void)state;
	struct scan_record r[2] = {fx_record("x/a.c"), fx_record("x/a.c")};
	free(r[1].files[0].package);
	r[1].files[0].package = xstrdup("other");
	struct graph g;
	fx_diag_begin();
	assert_int_equal(graph_build(&g, r, 2, NULL), 0);
	char *got = fx_diag_end();
	assert_string_equal(got,
		"x/a.c: warning: records disagree about this file; using "
		"package 'other' (were they scanned with the same --root?)\n");
	free(got);
	assert_string_equal(g.pkgs[0].path, "other");
	graph_free(&g);
	fx_record_free(&r[0]);
	fx_record_free(&r[1]);
}

/* ---- determinism --------------------------------------------------------- */

static char *everything(const struct graph *g)
{
	struct strbuf sb = {0};
	char *s = pkgs_str(g), *e = fx_edges(g);
	sb_puts(&sb, s);
	sb_puts(&sb, e);
	free(s);
	free(e);
	for (int m = ORDER_LEX; m <= ORDER_IMPORT; m++) {
		char *buf = fx_emit(g, (enum order_mode)m, DRIVER_RT0, NULL);
		sb_puts(&sb, buf);
		free(buf);
	}
	return sb_detach(&sb);
}

/* Fisher-Yates over v[n], from the LCG state *seed (which it advances):
 * the same seed, the same permutation on every run. */
static void shuffle(const char **v, size_t n, uint64_t *seed)
{
	for (size_t i = n - 1; i > 0; i--) {
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t j = (size_t)(*seed >> 33) % (i + 1);
		const char *t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void test_record_order_does_not_matter(void **state)
{
	(void)state;
	const char *recs[] = {
		("main/main.c; main/main.c:2 includes z/z.h; main/main.c:3 "
		 "includes main/main.h; main/main.h:1 includes y/y.h; "
		 "main/main.c:9 includes a/a.h; main main/main.c:20:5; "
		 "init main_init main/main.c:12"),
		("main/util.c; main/util.c:1 includes a/a.h; main/util.c:2 "
		 "includes main/main.h; main/main.h:1 includes y/y.h; "
		 "init util_init main/util.c:3"),
		("a/a.c; a/a.c:1 includes a/a.h; a/a.h:4 includes y/y.h; "
		 "init a_init a/a.c:5"),
		"a/a2.c; import z a/a2.c:1:1; init a2_init a/a2.c:2",
		"y/y.c; y/y.c:1 includes y/y.h; init y_init y/y.c:3",
		"z/z.c; z/z.c:1 includes z/z.h; init z_init z/z.c:3",
		"q/q.c; q/q.c:1 includes y/y.h; init q_init q/q.c:3",
		"p/p.c",
	};
	enum { N = sizeof recs / sizeof recs[0] };
	struct graph g;
	assert_int_equal(fx_build(&g, recs, N, NULL), 0);
	char *want = everything(&g);
	graph_free(&g);

	uint64_t x = 12345;
	for (int round = 0; round < 20; round++) {
		const char *shuf[N];
		memcpy(shuf, recs, sizeof shuf);
		shuffle(shuf, N, &x);
		assert_int_equal(fx_build(&g, shuf, N, NULL), 0);
		char *got = everything(&g);
		assert_string_equal(got, want);
		free(got);
		graph_free(&g);
	}
	free(want);
}

/* ---- strongly connected components --------------------------------------- */

static void test_scc(void **state)
{
	(void)state;
	struct graph g;
	/* {a, b} imports {c, d}; e imports a. */
	assert_int_equal(fx_graph(&g, "a > b | b > a c | c > d | d > c | e > a",
				  NULL), 0);
	size_t comp[5];
	assert_int_equal(graph_scc(&g, comp), 3);
	size_t a = graph_find(&g, "a"), b = graph_find(&g, "b"),
	       c = graph_find(&g, "c"), d = graph_find(&g, "d"),
	       e = graph_find(&g, "e");
	assert_int_equal(comp[a], comp[b]);
	assert_int_equal(comp[c], comp[d]);
	assert_true(comp[c] < comp[a]);
	assert_true(comp[a] < comp[e]);
	graph_free(&g);

	/* Exactly two components, numbered imports first. */
	assert_int_equal(fx_graph(&g, "a > b | b > a c | c > d | d > c", NULL), 0);
	assert_int_equal(graph_scc(&g, comp), 2);
	assert_int_equal(comp[0], 1);
	assert_int_equal(comp[1], 1);
	assert_int_equal(comp[2], 0);
	assert_int_equal(comp[3], 0);
	graph_free(&g);

	/* An acyclic graph: one component per package, imports first. */
	assert_int_equal(fx_graph(&g, "*main > a b | a > b | b", NULL), 0);
	assert_int_equal(graph_scc(&g, comp), 3);
	assert_true(comp[graph_find(&g, "b")] < comp[graph_find(&g, "a")]);
	assert_true(comp[graph_find(&g, "a")] < comp[graph_find(&g, "main")]);
	graph_free(&g);
}

/* ---- programs: main's own package, other programs' TUs --------------------- */

static void test_main_alone(void **state)
{
	(void)state;
	/* src/main.c beside src/util.c, and lib includes src/util.h: main's
	 * file is package main by itself, the rest of src is package src. */
	const char *recs[] = {
		("src/main.c; src/main.c:1 includes lib/lib.h; src/main.c:2 "
		 "includes src/util.h; main src/main.c:9:5; "
		 "init main_init src/main.c:5"),
		"src/util.c; src/util.c:1 includes src/util.h; init util_init src/util.c:3",
		"lib/lib.c; lib/lib.c:1 includes lib/lib.h; lib/lib.c:4 includes src/util.h; "
		"init lib_init lib/lib.c:6",
		"lib/more.c; lib/more.c:2 includes src/util.h",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 4, NULL), 0);
	char *s = pkgs_str(&g);
	assert_string_equal(s, "lib(lib): lib_init@lib/lib.c:6\n"
			       "main(src)*: main_init@src/main.c:5\n"
			       "src(src): util_init@src/util.c:3\n");
	free(s);
	char *e = fx_edges(&g);
	assert_string_equal(e, "lib -> src include lib/lib.c:4\n"
			       "main -> lib include src/main.c:1\n"
			       "main -> src include src/main.c:2\n");
	free(e);
	assert_true(g.main_alone);
	assert_string_equal(g.main_file, "src/main.c");
	assert_null(g.left_out);        /* one program: nothing left out */
	/* The first import of src from elsewhere, by file then line. */
	assert_string_equal(g.main_alone_at.file, "lib/lib.c");
	assert_int_equal(g.main_alone_at.line, 4);
	char *o = fx_order(&g, ORDER_LEX);
	assert_string_equal(o, "src lib main");
	free(o);
	graph_free(&g);

	/* A PKG_IMPORT of src does the same, and then names the rest. */
	const char *imp[] = {
		"src/main.c; main src/main.c:9:5",
		"src/util.c; init util_init src/util.c:3",
		"lib/lib.c; import src lib/lib.c:2:1",
	};
	assert_int_equal(fx_build(&g, imp, 3, NULL), 0);
	e = fx_edges(&g);
	assert_string_equal(e, "lib -> src import lib/lib.c:2:1\n"
			       "main -> lib implicit\n"
			       "main -> src implicit\n");
	free(e);
	assert_true(g.main_alone);
	graph_free(&g);

	/* Only main's own directory includes util.h: nothing changes, main
	 * is the whole directory (the rule for every existing layout). */
	const char *own[] = {
		("src/main.c; src/main.c:2 includes src/util.h; "
		 "src/main.c:3 includes lib/lib.h; main src/main.c:9:5"),
		"src/util.c; src/util.c:1 includes src/util.h; init util_init src/util.c:3",
		"lib/lib.c; lib/lib.c:1 includes lib/lib.h",
	};
	assert_int_equal(fx_build(&g, own, 3, NULL), 0);
	s = pkgs_str(&g);
	assert_string_equal(s, "lib(lib):\nmain(src)*: util_init@src/util.c:3\n");
	free(s);
	assert_false(g.main_alone);
	assert_string_equal(g.main_file, "src/main.c");
	graph_free(&g);

	/* An include of main's file itself is an import of main: no other
	 * file to part from, so the cycle stays (graph shows it). */
	const char *self[] = {
		"src/main.c; main src/main.c:9:5",
		"t/t.c; t/t.c:1 includes src/main.c",
	};
	assert_int_equal(fx_build(&g, self, 2, NULL), 0);
	e = fx_edges(&g);
	assert_string_equal(e, "main -> t implicit\n"
			       "t -> main include t/t.c:1\n");
	free(e);
	assert_false(g.main_alone);
	graph_free(&g);
}

static void test_main_alone_in_root(void **state)
{
	(void)state;
	/* The same at the root: the rest of the root is package ".". */
	const char *recs[] = {
		"main.c; main main.c:9:5; main.c:1 includes util.h",
		"util.c; init util_init util.c:3",
		"lib/lib.c; lib/lib.c:1 includes util.h",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 3, NULL), 0);
	char *s = pkgs_str(&g);
	assert_string_equal(s, ".(.): util_init@util.c:3\nlib(lib):\nmain(.)*:\n");
	free(s);
	char *e = fx_edges(&g);
	assert_string_equal(e, "lib -> . include lib/lib.c:1\n"
			       "main -> . include main.c:1\n"
			       "main -> lib implicit\n");
	free(e);
	graph_free(&g);
}

static void test_main_alone_named_main(void **state)
{
	(void)state;
	/* A directory called main cannot part with main's file: the rest
	 * would have main's name. */
	const char *recs[] = {
		"main/m.c; main main/m.c:2:5",
		"main/util.c",
		"lib/lib.c; lib/lib.c:3 includes main/util.h",
	};
	check_errors(recs, 3, NULL,
		"main/m.c:2:5: error: main needs a package of its own, but its "
		"directory is package 'main', which other packages import\n"
		"lib/lib.c:3: note: package 'main' is imported here\n"
		"main/m.c:2:5: note: move the file that defines main to another "
		"directory, or rename the directory\n");
}

static void test_programs(void **state)
{
	(void)state;
	/* Two programs in tools/, one in src/ beside library code, a test
	 * that includes src/util.h. */
	const char *recs[] = {
		("tools/b.c; main tools/b.c:3:5; tools/b.c:1 includes lib/lib.h; "
		 "init tool_init tools/b.c:2"),
		("tools/a.c; main tools/a.c:3:5; tools/a.c:1 includes only/only.h; "
		 "init tool_init tools/a.c:2"),
		"src/main.c; main src/main.c:1:5; src/main.c:1 includes src/util.h",
		"src/util.c; init util_init src/util.c:1",
		"tests/t.c; main tests/t.c:5:5; tests/t.c:1 includes src/util.h",
		"lib/lib.c; init lib_init lib/lib.c:1",
		/* the same main file scanned twice (two variants): one program */
		"tools/a.c; main tools/a.c:3:5; init tool_init tools/a.c:2",
	};
	enum { N = sizeof recs / sizeof recs[0] };
	struct scan_record r[N];
	for (size_t i = 0; i < N; i++) r[i] = fx_record(recs[i]);
	const char **progs;
	size_t n = graph_programs(r, N, &progs);
	assert_int_equal(n, 4);
	assert_string_equal(progs[0], "src/main.c");
	assert_string_equal(progs[1], "tests/t.c");
	assert_string_equal(progs[2], "tools/a.c");
	assert_string_equal(progs[3], "tools/b.c");

	/* Without --main: one error per extra main, also in one package. */
	struct graph g;
	fx_diag_begin();
	assert_int_equal(graph_build(&g, r, N, NULL), EXIT_ORDER);
	char *got = fx_diag_end();
	assert_string_equal(got,
		"tests/t.c:5:5: error: main defined in package 'src' and in "
		"package 'tests'\n"
		"src/main.c:1:5: note: main of package 'src' is defined here\n"
		"tools/a.c:3:5: error: main defined in package 'src' and in "
		"package 'tools'\n"
		"src/main.c:1:5: note: main of package 'src' is defined here\n"
		"tools/b.c:3:5: error: main defined in package 'src' and in "
		"package 'tools'\n"
		"src/main.c:1:5: note: main of package 'src' is defined here\n"
		"pkginit: note: use --main PATH to choose\n"
		"tools/b.c:2: error: init function 'tool_init' defined twice\n"
		"tools/a.c:2: note: 'tool_init' is first defined here\n");
	free(got);

	/* Each program alone: the other programs' TUs are left out (so
	 * tool_init, defined in both tools, is no duplicate), and with them
	 * the packages only they see (only/, which only tools/a.c reads). */
	const char *want[] = {
		/* src/main.c: tests is left out, so nothing imports src */
		"lib(lib): lib_init@lib/lib.c:1\n"
		"main(src)*: util_init@src/util.c:1\n",
		/* tests/t.c: src/main.c is left out, src/util.c is a library */
		"lib(lib): lib_init@lib/lib.c:1\n"
		"main(tests)*:\n"
		"src(src): util_init@src/util.c:1\n",
		"lib(lib): lib_init@lib/lib.c:1\n"
		"main(tools)*: tool_init@tools/a.c:2\n"
		"only(only):\n"
		"src(src): util_init@src/util.c:1\n",
		"lib(lib): lib_init@lib/lib.c:1\n"
		"main(tools)*: tool_init@tools/b.c:2\n"
		"src(src): util_init@src/util.c:1\n",
	};
	for (size_t i = 0; i < n; i++) {
		struct graph_opts o = {.main = progs[i]};
		assert_int_equal(graph_build(&g, r, N, &o), 0);
		char *s = pkgs_str(&g);
		assert_string_equal(s, want[i]);
		free(s);
		assert_string_equal(g.main_file, progs[i]);
		/* What the graph left out, for the analyses of the program. */
		assert_non_null(g.left_out);
		for (size_t k = 0; k < N; k++)
			assert_int_equal(g.left_out[k], r[k].defines_main &&
					 strcmp(r[k].main_at.file, progs[i]));
		graph_free(&g);
	}

	/* --main of a package with two mains says which two. */
	struct graph_opts o = {.main = "tools"};
	fx_diag_begin();
	assert_int_equal(graph_build(&g, r, N, &o), EXIT_ORDER);
	got = fx_diag_end();
	assert_string_equal(got,
		"tools/b.c:3:5: error: main defined twice in package 'tools'\n"
		"tools/a.c:3:5: note: main of package 'tools' is defined here\n"
		"pkginit: note: use --main PATH to choose\n"
		"tools/b.c:2: error: init function 'tool_init' defined twice\n"
		"tools/a.c:2: note: 'tool_init' is first defined here\n");
	free(got);
	/* --main of a file that does not define main. */
	o.main = "./src/util.c";
	fx_diag_begin();
	assert_int_equal(graph_build(&g, r, N, &o), EXIT_ORDER);
	got = fx_diag_end();
	assert_string_equal(got,
		"pkginit: error: --main ./src/util.c: file 'src/util.c' does "
		"not define main\n"
		"src/main.c:1:5: note: main is defined in package 'src'\n"
		"tests/t.c:5:5: note: main is defined in package 'tests'\n"
		"tools/a.c:3:5: note: main is defined in package 'tools'\n"
		"tools/b.c:3:5: note: main is defined in package 'tools'\n"
		"tools/b.c:2: error: init function 'tool_init' defined twice\n"
		"tools/a.c:2: note: 'tool_init' is first defined here\n");
	free(got);
	/* --main of a package that has exactly one main still works. */
	o.main = "tests";
	assert_int_equal(graph_build(&g, r, N, &o), 0);
	assert_string_equal(g.main_file, "tests/t.c");
	graph_free(&g);

	free(progs);
	for (size_t i = 0; i < N; i++) fx_record_free(&r[i]);

	/* A PKG_IMPORT of a package only another program reads. */
	const char *other[] = {
		"a/a.c; main a/a.c:1:5; a/a.c:2 includes only/o.h",
		"b/b.c; main b/b.c:1:5",
		"lib/l.c; import only lib/l.c:3:1",
	};
	o.main = "b";
	check_errors(other, 3, &o,
		"lib/l.c:3:1: error: PKG_IMPORT of unknown package 'only'\n"
		"lib/l.c:3:1: note: only the translation units of other programs "
		"read files of package 'only'\n");
	o.main = "a";
	assert_int_equal(fx_build(&g, other, 3, &o), 0);
	graph_free(&g);

	/* No main: no programs. */
	struct scan_record one = fx_record("a/a.c");
	assert_int_equal(graph_programs(&one, 1, &progs), 0);
	free(progs);
	fx_record_free(&one);
}

static void test_programs_record_order(void **state)
{
	(void)state;
	/* The split and the left-out TUs do not depend on record order. */
	const char *recs[] = {
		"src/main.c; main src/main.c:1:5; src/main.c:1 includes net/net.h",
		"src/util.c; src/util.c:1 includes src/util.h; init util_init src/util.c:2",
		"net/net.c; net/net.c:1 includes src/util.h; net/net.c:2 includes src/util.h",
		"net/b.c; net/b.c:1 includes src/util.h; init net_init net/b.c:2",
		"x/x.c; main x/x.c:1:5; x/x.c:1 includes net/net.h",
		"y/y.c; y/y.c:1 includes x/x.h",
	};
	enum { N = sizeof recs / sizeof recs[0] };
	struct graph_opts o = {.main = "src/main.c"};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, N, &o), 0);
	char *want = everything(&g);
	assert_true(g.main_alone);
	assert_string_equal(g.main_alone_at.file, "net/b.c");
	graph_free(&g);
	uint64_t x = 99;
	for (int round = 0; round < 20; round++) {
		const char *shuf[N];
		memcpy(shuf, recs, sizeof shuf);
		shuffle(shuf, N, &x);
		assert_int_equal(fx_build(&g, shuf, N, &o), 0);
		char *got = everything(&g);
		assert_string_equal(got, want);
		assert_string_equal(g.main_alone_at.file, "net/b.c");
		free(got);
		graph_free(&g);
	}
	free(want);
}

static void test_scc_real(void **state)
{
	(void)state;
	/* t includes main's file; main reaches a; a <-> b is a real cycle;
	 * main -> t is implicit and closes a cycle only with it. */
	const char *recs[] = {
		"m/m.c; main m/m.c:1:5; m/m.c:1 includes a/a.h",
		"a/a.c; a/a.c:1 includes b/b.h",
		"b/b.c; b/b.c:1 includes a/a.h",
		"t/t.c; t/t.c:1 includes m/m.c",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 4, NULL), 0);
	size_t all[4], real[4];
	size_t a = graph_find(&g, "a"), b = graph_find(&g, "b"),
	       m = graph_find(&g, "main"), t = graph_find(&g, "t");
	assert_int_equal(graph_scc(&g, all), 2);
	assert_int_equal(all[m], all[t]);
	assert_int_equal(all[a], all[b]);
	assert_int_equal(graph_scc_real(&g, real), 3);
	assert_int_equal(real[a], real[b]);
	assert_int_not_equal(real[m], real[t]);
	/* Real imports first: t before main, as t imports main. */
	assert_true(real[m] < real[t]);
	graph_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packages_and_main),
		cmocka_unit_test(test_no_main),
		cmocka_unit_test(test_root_package),
		cmocka_unit_test(test_two_mains),
		cmocka_unit_test(test_main_option),
		cmocka_unit_test(test_main_name_clash),
		cmocka_unit_test(test_init_functions),
		cmocka_unit_test(test_pkg_import),
		cmocka_unit_test(test_pkg_package),
		cmocka_unit_test(test_includes_outside_project),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_file_disagreement_warns),
		cmocka_unit_test(test_record_order_does_not_matter),
		cmocka_unit_test(test_scc),
		cmocka_unit_test(test_main_alone),
		cmocka_unit_test(test_main_alone_in_root),
		cmocka_unit_test(test_main_alone_named_main),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_programs_record_order),
		cmocka_unit_test(test_scc_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
