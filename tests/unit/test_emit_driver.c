/*
 * test_emit_driver.c - the init table of --driver=ctor and --driver=manual
 * (emit_table_driver): its exact text against a golden file
 * (tests/golden/inittab_ctor.c; manual's is the same without the
 * constructor, with its own header lines), that it compiles alone and
 * warning-free under gcc and clang, that a program linked with it and no
 * runtime runs the table in order, traced; that the default driver is
 * emit_table's output, byte for byte; and link_run's check of --driver.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "opt.h"
#include "graph_fixture.h"
#include "testutil.h"

/* main imports cfg and log, cfg imports log; each has one init function. */
static const char spec[] = "*main > cfg log | cfg > log | log";

static char *table(const char *graph, enum driver d)
{
	struct graph g;
	assert_int_equal(fx_graph(&g, graph, NULL), 0);
	size_t *order = xmalloc((g.npkgs + 1) * sizeof *order);
	assert_int_equal(order_packages(&g, ORDER_LEX, order), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	emit_table_driver(f, &g, ORDER_LEX, order, d);
	fclose(f);
	free(order);
	graph_free(&g);
	return buf;
}

/* Run a shell command in the scratch directory, its output in ./out. */
static int sh(const char *cmd)
{
	char *full = xasprintf("%s >out 2>&1", cmd);
	int rc = system(full);
	if (rc) {
		char *text = file_read("out", NULL);
		print_message("command failed (%d): %s\n%s", rc, cmd, text ? text : "");
		free(text);
	}
	free(full);
	return rc;
}

/* Write the table to NAME.c and compile it alone with both compilers, the
 * strictest flags, no -I. */
static void check_compiles(const char *text, const char *name)
{
	char *src = xasprintf("%s.c", name);
	tu_write(src, text);
	char *cc = xasprintf("cc -std=c11 -Wall -Wextra -pedantic -Werror -c %s -o %s-cc.o", src, name);
	char *clang = xasprintf("clang -std=c11 -Wall -Wextra -pedantic -Werror -c %s -o %s-clang.o", src, name);
	assert_int_equal(sh(cc), 0);
	assert_int_equal(sh(clang), 0);
	free(clang);
	free(cc);
	free(src);
}

static void test_golden(void **state)
{
	(void)state;
	const char *top = getenv("PKGINIT_TOP");
	char *path = xasprintf("%s/tests/golden/inittab_ctor.c", top ? top : tu_top);
	char *want = file_read(path, NULL);
	if (!want) fail_msg("%s: cannot read", path);

	char *ctor = table(spec, DRIVER_CTOR);
	assert_string_equal(ctor, want);
	check_compiles(ctor, "ctor");

	/* manual: its own header lines, then the same up to the constructor. */
	char *manual = table(spec, DRIVER_MANUAL);
	const char *body = strstr(want, "\n/* The ABI of pkgrt.h");
	const char *ctor_part = strstr(want, "\n/* Run the table before main");
	assert_non_null(body);
	assert_non_null(ctor_part);
	char *want_body = xstrndup(body, (size_t)(ctor_part - body));
	const char *got_body = strstr(manual, "\n/* The ABI of pkgrt.h");
	assert_non_null(got_body);
	assert_string_equal(got_body, want_body);
	assert_non_null(strstr(manual, "\n * Driver: manual.  This file runs the table itself when the program\n"));
	assert_null(strstr(manual, "constructor"));
	check_compiles(manual, "manual");

	free(want_body);
	free(manual);
	free(ctor);
	free(want);
	free(path);
}

static void test_rt0_is_emit_table(void **state)
{
	(void)state;
	struct graph g;
	assert_int_equal(fx_graph(&g, spec, NULL), 0);
	size_t order[3];
	assert_int_equal(order_packages(&g, ORDER_LEX, order), 0);
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	FILE *f = open_memstream(&a, &na);
	emit_table(f, &g, ORDER_LEX, order);
	fclose(f);
	f = open_memstream(&b, &nb);
	emit_table_driver(f, &g, ORDER_LEX, order, DRIVER_RT0);
	fclose(f);
	assert_string_equal(a, b);
	assert_null(strstr(a, "pkgrt_run_inits"));
	free(a);
	free(b);
	graph_free(&g);
}

static void test_no_tasks(void **state)
{
	(void)state;
	/* No init function anywhere: the runner still compiles cleanly. */
	for (enum driver d = DRIVER_CTOR; d <= DRIVER_MANUAL; d++) {
		char *t = table("*main! > a | a!", d);
		assert_non_null(strstr(t, "\t0,\n\t(struct pkgrt_inittask *)0,\n};\n"));
		check_compiles(t, driver_name(d));
		free(t);
	}
}

static void test_names(void **state)
{
	(void)state;
	for (enum driver d = DRIVER_RT0; d <= DRIVER_MANUAL; d++) {
		enum driver back = DRIVER_RT0;
		assert_int_equal(driver_parse(driver_name(d), &back), 0);
		assert_int_equal(back, d);
	}
	enum driver d;
	assert_string_equal(driver_name(DRIVER_CTOR), "ctor");
	assert_int_not_equal(driver_parse("Ctor", &d), 0);
	assert_int_not_equal(driver_parse(NULL, &d), 0);
}

static void test_bad_driver(void **state)
{
	(void)state;
	/* A choice: the option parser refuses it before anything is read. */
	char *argv[] = {"link", "--driver", "constructor", "-o", "table.c",
			"x.rec", NULL};
	tu_capture_begin();
	assert_int_equal(cmd_link(6, argv), EXIT_USAGE);
	char *err = tu_capture_end();
	assert_non_null(strstr(err, "--driver must be 'rt0', 'ctor' or 'manual', not 'constructor'"));
	assert_int_not_equal(access("table.c", F_OK), 0);
	free(err);
}

/* A program with the manual table: nothing before pkgrt_run_inits, then
 * the tasks in order with their trace lines; a second call nothing. */
static const char prog[] =
	"#include <stdio.h>\n"
	"void pkgrt_run_inits(void);\n"
	"void log_init(void) { puts(\"log_init\"); }\n"
	"void cfg_init(void) { puts(\"cfg_init\"); }\n"
	"void main_init(void) { puts(\"main_init\"); }\n"
	"int main(void)\n"
	"{\n"
	"\tsetvbuf(stdout, NULL, _IONBF, 0);\n"
	"\tputs(\"main\");\n"
	"\tpkgrt_run_inits();\n"
	"\tpkgrt_run_inits();\n"
	"\tputs(\"done\");\n"
	"\treturn 0;\n"
	"}\n";

static void test_runs(void **state)
{
	(void)state;
	char *t = table(spec, DRIVER_MANUAL);
	tu_write("run-table.c", t);
	tu_write("run-main.c", prog);
	assert_int_equal(sh("cc -o prog run-main.c run-table.c"), 0);
	assert_int_equal(sh("PKGRT_DEBUG=starttrace=1,inittrace=1 ./prog 2>&1 | "
			    "sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T/'"), 0);
	char *got = file_read("out", NULL);
	assert_string_equal(got, "main\nlog_init\ninit log @T\ncfg_init\ninit cfg @T\n"
				 "main_init\ninit main @T\ndone\n");
	free(got);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_rt0_is_emit_table),
		cmocka_unit_test(test_no_tasks),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_driver),
		cmocka_unit_test(test_runs),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
