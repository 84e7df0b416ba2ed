/*
 * test_order.c - initialization order in both modes, and import cycles.
 *
 * Every case writes out the order it expects for --order=lex (Go >= 1.21)
 * and --order=import (Go <= 1.20) side by side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "graph_fixture.h"

/* Build the '|' form, check both orders. */
static void check_orders(const char *spec, const char *lex, const char *imp)
{
	struct graph g;
	assert_int_equal(fx_graph(&g, spec, NULL), 0);
	char *l = fx_order(&g, ORDER_LEX), *i = fx_order(&g, ORDER_IMPORT);
	assert_string_equal(l, lex);
	assert_string_equal(i, imp);
	free(l);
	free(i);
	graph_free(&g);
}

static void test_chain(void **state)
{
	(void)state;
	check_orders("*main > a | a > b | b", "b a main", "b a main");
}

static void test_diamond(void **state)
{
	(void)state;
	/* main lists c before b: import mode follows that, lex does not. */
	check_orders("*main > c b | b > d | c > d | d",
		     "d b c main", "d c b main");
}

static void test_disconnected_no_main(void **state)
{
	(void)state;
	/* Without main every package is ordered; import mode takes roots in
	 * byte order (a, b, x, y). */
	check_orders("x > b | b | a > y | y", "b x y a", "y a b x");
}

static void test_ties_are_byte_order(void **state)
{
	(void)state;
	/* Byte order: 'A' < '-' ... is not natural or locale order. */
	check_orders("*m > ab a_b a/b a.b a-b A | ab! | a_b! | a/b! | a.b! | a-b! | A!",
		     "A a-b a.b a/b a_b ab main",
		     "ab a_b a/b a.b a-b A main");
}

static void test_unreachable_become_imports_of_main(void **state)
{
	(void)state;
	/* main declares q; a, z and y are implicit, after q, in byte order. */
	check_orders("*app > q | q | z > y | y | a",
		     "a q y z main", "q a y z main");
	struct graph g;
	assert_int_equal(fx_graph(&g, "*app > q | q | z > y | y | a", NULL), 0);
	char *e = fx_edges(&g);
	assert_string_equal(e,
		"main -> q include app/x.c:1\n"
		"main -> a implicit\n"
		"main -> y implicit\n"
		"main -> z implicit\n"
		"z -> y include z/x.c:1\n");
	free(e);
	graph_free(&g);
}

static void test_no_init_in_middle(void **state)
{
	(void)state;
	/* A package without init functions still has its place. */
	check_orders("*main > b | b! > c | c", "c b main", "c b main");
}

static void test_main_first_in_byte_order(void **state)
{
	(void)state;
	/* "main" sorts before "x", but imports always come first. */
	check_orders("*cmd > x | x", "x main", "x main");
}

static void test_first_occurrence_rule(void **state)
{
	(void)state;
	/* Package main has three files; its imports, in first-occurrence
	 * order (file path, then line), are z (main.c:2), a (main.c:9),
	 * y (main.h:1).  util.c:1 also includes a, but later in that order. */
	const char *recs[] = {
		("main/main.c; main/main.c:2 includes z/z.h; "
		 "main/main.c:5 includes main/main.h; "
		 "main/main.h:1 includes y/y.h; "
		 "main/main.c:9 includes a/a.h; main main/main.c:20:5"),
		("main/util.c; main/util.c:1 includes a/a.h; "
		 "main/util.c:2 includes main/main.h; main/main.h:1 includes y/y.h"),
		"a/a.c; a/a.c:1 includes a/a.h",
		"y/y.c; y/y.c:1 includes y/y.h",
		"z/z.c; z/z.c:1 includes z/z.h",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 5, NULL), 0);
	char *e = fx_edges(&g);
	assert_string_equal(e,
		"main -> z include main/main.c:2\n"
		"main -> a include main/main.c:9\n"
		"main -> y include main/main.h:1\n");
	free(e);
	char *l = fx_order(&g, ORDER_LEX), *i = fx_order(&g, ORDER_IMPORT);
	assert_string_equal(l, "a y z main");
	assert_string_equal(i, "z a y main");
	free(l);
	free(i);
	graph_free(&g);
}

static void test_chain_through_headers(void **state)
{
	(void)state;
	/* a.c includes b.h includes c.h: a imports b, b imports c, and a
	 * does not import c, though its TU read c.h. */
	const char *recs[] = {
		("a/a.c; a/a.c:1 includes b/b.h; b/b.h:1 includes c/c.h; "
		 "main a/a.c:5:5"),
		"b/b.c; b/b.c:1 includes b/b.h; b/b.h:1 includes c/c.h",
		"c/c.c; c/c.c:1 includes c/c.h",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 3, NULL), 0);
	char *e = fx_edges(&g);
	assert_string_equal(e,
		"b -> c include b/b.h:1\n"
		"main -> b include a/a.c:1\n");
	free(e);
	char *l = fx_order(&g, ORDER_LEX), *i = fx_order(&g, ORDER_IMPORT);
	assert_string_equal(l, "c b main");
	assert_string_equal(i, "c b main");
	free(l);
	free(i);
	graph_free(&g);
}

static void test_mode_names(void **state)
{
	(void)state;
	enum order_mode m = ORDER_IMPORT;
	assert_int_equal(order_mode_parse("lex", &m), 0);
	assert_int_equal(m, ORDER_LEX);
	assert_int_equal(order_mode_parse("import", &m), 0);
	assert_int_equal(m, ORDER_IMPORT);
	assert_int_equal(order_mode_parse("Lex", &m), -1);
	assert_int_equal(order_mode_parse("", &m), -1);
	assert_int_equal(order_mode_parse(NULL, &m), -1);
	assert_string_equal(order_mode_name(ORDER_LEX), "lex");
	assert_string_equal(order_mode_name(ORDER_IMPORT), "import");
}

static void test_empty_graph(void **state)
{
	(void)state;
	struct graph g;
	assert_int_equal(graph_build(&g, NULL, 0, NULL), 0);
	size_t out[1];
	assert_int_equal(order_packages(&g, ORDER_LEX, out), 0);
	assert_int_equal(order_packages(&g, ORDER_IMPORT, out), 0);
	struct cycle_step *st;
	assert_int_equal(order_find_cycle(&g, &st), 0);
	assert_null(st);
	graph_free(&g);
}

/* ---- cycles -------------------------------------------------------------- */

/* Both modes see the cycle; the report is exactly `want`. */
static void check_cycle(struct graph *g, const char *want)
{
	size_t *out = xmalloc((g->npkgs + 1) * sizeof *out);
	assert_int_equal(order_packages(g, ORDER_LEX, out), 1);
	assert_int_equal(order_packages(g, ORDER_IMPORT, out), 1);
	free(out);
	fx_diag_begin();
	int rc = order_report_cycle(g);
	char *got = fx_diag_end();
	assert_int_equal(rc, EXIT_ORDER);
	assert_string_equal(got, want);
	free(got);
}

static void test_cycle_two(void **state)
{
	(void)state;
	struct graph g;
	assert_int_equal(fx_graph(&g, "*main > a | a > b | b > a", NULL), 0);
	check_cycle(&g,
		"a/x.c:1: error: import cycle not allowed\n"
		"a/x.c:1: note: a imports b (includes b/x.h)\n"
		"b/x.c:1: note: b imports a (includes a/x.h)\n");
	graph_free(&g);
}

static void test_cycle_five(void **state)
{
	(void)state;
	struct graph g;
	/* Entered at p3 from main; still reported from p1, the smallest. */
	assert_int_equal(fx_graph(&g, "*main > p3 | p1 > p2 | p2 > p3 | "
				      "p3 > p4 | p4 > p5 | p5 > p1", NULL), 0);
	check_cycle(&g,
		"p1/x.c:1: error: import cycle not allowed\n"
		"p1/x.c:1: note: p1 imports p2 (includes p2/x.h)\n"
		"p2/x.c:1: note: p2 imports p3 (includes p3/x.h)\n"
		"p3/x.c:1: note: p3 imports p4 (includes p4/x.h)\n"
		"p4/x.c:1: note: p4 imports p5 (includes p5/x.h)\n"
		"p5/x.c:1: note: p5 imports p1 (includes p1/x.h)\n");
	graph_free(&g);
}

static void test_cycle_shortest(void **state)
{
	(void)state;
	struct graph g;
	/* p1 -> p2 -> p3 -> p4 -> p1 and the shortcut p2 -> p4: the
	 * reported cycle takes the shortcut. */
	assert_int_equal(fx_graph(&g, "*main > p1 | p1 > p2 | p2 > p3 p4 | "
				      "p3 > p4 | p4 > p1", NULL), 0);
	struct cycle_step *st;
	size_t n = order_find_cycle(&g, &st);
	assert_int_equal(n, 3);
	const char *from[] = {"p1", "p2", "p4"};
	for (size_t i = 0; i < n; i++)
		assert_string_equal(g.pkgs[st[i].from].path, from[i]);
	assert_string_equal(g.pkgs[g.pkgs[st[1].from].imports[st[1].edge].to].path,
			    "p4");
	free(st);
	graph_free(&g);
}

static void test_cycle_through_headers(void **state)
{
	(void)state;
	/* a.c includes b.h, b.h includes c.h, and c closes the cycle both
	 * through a header and with PKG_IMPORT; the earlier line wins. */
	const char *recs[] = {
		("a/a.c; a/a.c:3 includes b/b.h; b/b.h:2 includes c/c.h; "
		 "main a/a.c:10:5"),
		"b/b.c; b/b.c:1 includes b/b.h; b/b.h:2 includes c/c.h",
		"c/c.c; import main c/c.c:4:1; c/c.c:7 includes a/a.h",
	};
	struct graph g;
	fx_diag_begin();
	/* Importing main by name is refused outright ... */
	assert_int_equal(fx_build(&g, recs, 3, NULL), EXIT_ORDER);
	free(fx_diag_end());
	/* ... but an #include of main's header is an ordinary cycle. */
	const char *recs2[] = {
		("a/a.c; a/a.c:3 includes b/b.h; b/b.h:2 includes c/c.h; "
		 "main a/a.c:10:5"),
		"b/b.c; b/b.c:1 includes b/b.h; b/b.h:2 includes c/c.h",
		"c/c.c; c/c.c:7 includes a/a.h; import b c/c.c:4:1",
	};
	assert_int_equal(fx_build(&g, recs2, 3, NULL), 0);
	check_cycle(&g,
		"b/b.h:2: error: import cycle not allowed\n"
		"b/b.h:2: note: b imports c (includes c/c.h)\n"
		"c/c.c:4:1: note: c imports b (PKG_IMPORT)\n");
	graph_free(&g);

	/* Without the PKG_IMPORT the cycle runs through main (through
	 * main's own file: an include of another file of main's directory
	 * would give main a package of its own, spec/packages.md). */
	const char *recs3[] = {
		("a/a.c; a/a.c:3 includes b/b.h; b/b.h:2 includes c/c.h; "
		 "main a/a.c:10:5"),
		"b/b.c; b/b.c:1 includes b/b.h; b/b.h:2 includes c/c.h",
		"c/c.c; c/c.c:7 includes a/a.c",
	};
	assert_int_equal(fx_build(&g, recs3, 3, NULL), 0);
	check_cycle(&g,
		"b/b.h:2: error: import cycle not allowed\n"
		"b/b.h:2: note: b imports c (includes c/c.h)\n"
		"c/c.c:7: note: c imports main (includes a/a.c)\n"
		"a/a.c:3: note: main imports b (includes b/b.h)\n");
	graph_free(&g);
}

static void test_cycle_through_implicit_import(void **state)
{
	(void)state;
	/* b includes main's file but main does not reach b: main's
	 * implicit import of b closes the cycle, and has no location. */
	const char *recs[] = {
		"app/m.c; main app/m.c:3:5",
		"b/b.c; b/b.c:1 includes app/m.c",
	};
	struct graph g;
	assert_int_equal(fx_build(&g, recs, 2, NULL), 0);
	check_cycle(&g,
		"b/b.c:1: error: import cycle not allowed\n"
		"b/b.c:1: note: b imports main (includes app/m.c)\n"
		"pkginit: note: main imports b (implicitly, as no declared "
		"import reaches it)\n");
	graph_free(&g);
}

static void test_acyclic_has_no_cycle(void **state)
{
	(void)state;
	struct graph g;
	assert_int_equal(fx_graph(&g, "*main > a b | a > b | b", NULL), 0);
	struct cycle_step *st;
	assert_int_equal(order_find_cycle(&g, &st), 0);
	assert_null(st);
	fx_diag_begin();
	assert_int_equal(order_report_cycle(&g), 0);
	char *got = fx_diag_end();
	assert_string_equal(got, "");
	free(got);
	graph_free(&g);
}

/* ---- scale --------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rng(void)
{
	/* xorshift64*: fixed seed, same graph on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static void check_valid(const struct graph *g, enum order_mode m)
{
	size_t n = g->npkgs;
	size_t *out = xmalloc(n * sizeof *out);
	size_t *pos = xmalloc(n * sizeof *pos);
	assert_int_equal(order_packages(g, m, out), 0);
	for (size_t i = 0; i < n; i++) pos[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		assert_true(out[i] < n);
		assert_true(pos[out[i]] == SIZE_MAX);   /* each once */
		pos[out[i]] = i;
	}
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < g->pkgs[i].nimports; j++)
			if (pos[g->pkgs[i].imports[j].to] >= pos[i]) bad++;
	assert_int_equal(bad, 0);
	free(out);
	free(pos);
}

static void test_large_random_dag(void **state)
{
	(void)state;
	enum { N = 20000, E = 200000 };
	rng_state = 0x9e3779b97f4a7c15ull;
	/* Names in a random permutation of a hidden topological rank, so
	 * byte order and dependency order disagree. */
	size_t *perm = xmalloc(N * sizeof *perm);
	for (size_t i = 0; i < N; i++) perm[i] = i;
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = rng() % (i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	struct scan_record r = {0};
	r.tu = xstrdup("p00000/x.c");
	r.files = xcalloc(N, sizeof *r.files);
	r.nfiles = N;
	for (size_t i = 0; i < N; i++) {
		char *p = xasprintf("p%05zu/x.c", perm[i]);
		r.files[i] = (struct scan_file){p, xstrdup(p),
			xasprintf("p%05zu", perm[i])};
	}
	r.includes = xcalloc(E, sizeof *r.includes);
	r.nincludes = E;
	for (size_t k = 0; k < E; k++) {
		size_t a = rng() % N, b = rng() % N;
		if (a == b) b = (a + 1) % N;
		if (a < b) { size_t t = a; a = b; b = t; }
		/* rank a imports rank b < a */
		r.includes[k] = (struct scan_include){
			xstrdup(r.files[a].path), (unsigned)(k % 1000) + 1,
			xstrdup(r.files[b].path)};
	}
	r.defines_main = 1;
	r.main_at = (struct loc){xstrdup(r.files[N - 1].path), 1, 5};
	struct graph g;
	assert_int_equal(graph_build(&g, &r, 1, NULL), 0);
	assert_int_equal(g.npkgs, N);
	check_valid(&g, ORDER_LEX);
	check_valid(&g, ORDER_IMPORT);
	/* main (the top rank) comes last in both. */
	size_t *out = xmalloc(N * sizeof *out);
	assert_int_equal(order_packages(&g, ORDER_LEX, out), 0);
	assert_int_equal(out[N - 1], g.main);
	assert_int_equal(order_packages(&g, ORDER_IMPORT, out), 0);
	assert_int_equal(out[N - 1], g.main);
	free(out);
	struct cycle_step *st;
	assert_int_equal(order_find_cycle(&g, &st), 0);
	graph_free(&g);
	fx_record_free(&r);
	free(perm);
}

static void test_deep_chain_no_recursion(void **state)
{
	(void)state;
	/* A 200,000-long chain would overflow a recursive DFS. */
	enum { N = 200000 };
	struct scan_record r = {0};
	r.tu = xstrdup("c000000/x.c");
	r.files = xcalloc(N, sizeof *r.files);
	r.nfiles = N;
	r.includes = xcalloc(N - 1, sizeof *r.includes);
	r.nincludes = N - 1;
	for (size_t i = 0; i < N; i++) {
		char *p = xasprintf("c%06zu/x.c", i);
		r.files[i] = (struct scan_file){p, xstrdup(p),
			xasprintf("c%06zu", i)};
		if (i)
			r.includes[i - 1] = (struct scan_include){
				xstrdup(r.files[i - 1].path), 1, xstrdup(p)};
	}
	r.defines_main = 1;
	r.main_at = (struct loc){xstrdup(r.files[0].path), 1, 5};
	struct graph g;
	assert_int_equal(graph_build(&g, &r, 1, NULL), 0);
	check_valid(&g, ORDER_LEX);
	check_valid(&g, ORDER_IMPORT);
	size_t *comp = xmalloc(N * sizeof *comp);
	assert_int_equal(graph_scc(&g, comp), N);
	free(comp);
	graph_free(&g);
	fx_record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_disconnected_no_main),
		cmocka_unit_test(test_ties_are_byte_order),
		cmocka_unit_test(test_unreachable_become_imports_of_main),
		cmocka_unit_test(test_no_init_in_middle),
		cmocka_unit_test(test_main_first_in_byte_order),
		cmocka_unit_test(test_first_occurrence_rule),
		cmocka_unit_test(test_chain_through_headers),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_cycle_two),
		cmocka_unit_test(test_cycle_five),
		cmocka_unit_test(test_cycle_shortest),
		cmocka_unit_test(test_cycle_through_headers),
		cmocka_unit_test(test_cycle_through_implicit_import),
		cmocka_unit_test(test_acyclic_has_no_cycle),
		cmocka_unit_test(test_large_random_dag),
		cmocka_unit_test(test_deep_chain_no_recursion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
