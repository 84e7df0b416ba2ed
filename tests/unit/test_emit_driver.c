/*
 * test_emit_driver.c - the init table of --driver=ctor and --driver=manual
 * (emit_table): its exact text against a golden file
 * (tests/golden/inittab_ctor.c; manual's is the same without the
 * constructor, with its own header lines), that it compiles alone and
 * warning-free under gcc and clang, that a program linked with it and no
 * runtime runs the table in order, traced; the option parser's check of
 * --driver; and that an int init function's failure stops start-up as
 * the runtime does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cmd.h"
#include "graph_fixture.h"
#include "testutil.h"

/* main imports cfg and log, cfg imports log; each has one init function. */
static const char spec[] = "*main > cfg log | cfg > log | log";

/* Write the table to NAME.c and compile it alone with both compilers, the
 * strictest flags, no -I. */
static void check_compiles(const char *text, const char *name)
{
	char *src = xasprintf("%s.c", name);
	tu_write(src, text);
	char *cc = xasprintf("cc -std=c11 -Wall -Wextra -pedantic -Werror -c %s -o %s-cc.o", src, name);
	char *clang = xasprintf("clang -std=c11 -Wall -Wextra -pedantic -Werror -c %s -o %s-clang.o", src, name);
	assert_int_equal(tu_sh(cc), 0);
	assert_int_equal(tu_sh(clang), 0);
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

	char *ctor = fx_table(spec, DRIVER_CTOR, NULL);
	assert_string_equal(ctor, want);
	check_compiles(ctor, "ctor");

	/* manual: its own header lines, then the same up to the constructor. */
	char *manual = fx_table(spec, DRIVER_MANUAL, NULL);
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

static void test_no_tasks(void **state)
{
	(void)state;
	/* No init function anywhere: the runner still compiles cleanly. */
	for (enum driver d = DRIVER_CTOR; d <= DRIVER_MANUAL; d++) {
		char *t = fx_table("*main! > a | a!", d, NULL);
		assert_non_null(strstr(t, "\t0,\n\t(struct pkgrt_inittask *)0,\n};\n"));
		check_compiles(t, emit_driver_name(d));
		free(t);
	}
}

static void test_names(void **state)
{
	(void)state;
	for (enum driver d = DRIVER_RT0; d <= DRIVER_MANUAL; d++) {
		enum driver back = DRIVER_RT0;
		assert_int_equal(emit_driver_parse(emit_driver_name(d), &back), 0);
		assert_int_equal(back, d);
	}
	enum driver d;
	assert_string_equal(emit_driver_name(DRIVER_CTOR), "ctor");
	assert_int_not_equal(emit_driver_parse("Ctor", &d), 0);
	assert_int_not_equal(emit_driver_parse(NULL, &d), 0);
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
	assert_non_null(strstr(err, "--driver must be 'rt0', 'ctor', 'manual' or 'shlib', not 'constructor'"));
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
	char *t = fx_table(spec, DRIVER_MANUAL, NULL);
	tu_write("run-table.c", t);
	tu_write("run-main.c", prog);
	assert_int_equal(tu_sh("cc -o prog run-main.c run-table.c"), 0);
	assert_int_equal(tu_sh("PKGRT_DEBUG=starttrace=1,inittrace=1 ./prog 2>&1 | "
			    "sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T/'"), 0);
	char *got = file_read("out", NULL);
	assert_string_equal(got, "main\nlog_init\ninit log @T\ncfg_init\ninit cfg @T\n"
				 "main_init\ninit main @T\ndone\n");
	free(got);
	free(t);
}

/* ---- init functions that return int ------------------------------------ */

/* log: log_open (int); cfg: cfg_load (int), then cfg_after (void); main:
 * main_init (void). */
static const char *int_recs[] = {
	"app/main.c; app/main.c:1 includes cfg/cfg.h; main app/main.c:9:5; "
	"init main_init app/main.c:4",
	"cfg/cfg.c; cfg/cfg.c:1 includes log/log.h; initint cfg_load cfg/cfg.c:3; "
	"init cfg_after cfg/cfg.c:8",
	"log/log.c; initint log_open log/log.c:2",
};

static char *int_table(enum driver d)
{
	struct graph g;
	assert_int_equal(fx_build(&g, int_recs, 3, NULL), 0);
	char *buf = fx_emit(&g, ORDER_LEX, d, NULL);
	graph_free(&g);
	return buf;
}

/* FAIL=<function> makes that int function return $STATUS (default 7).
 * An atexit handler shows that exit() ran them. */
static const char int_prog[] =
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"void pkgrt_run_inits(void);\n"
	"static int ret(const char *n) {\n"
	"\tconst char *f = getenv(\"FAIL\"), *s = getenv(\"STATUS\");\n"
	"\treturn f && !strcmp(f, n) ? (s ? atoi(s) : 7) : 0;\n"
	"}\n"
	"static void bye(void) { puts(\"atexit\"); }\n"
	"int log_open(void) {\n"
	"\tsetvbuf(stdout, NULL, _IONBF, 0);     /* in order with stderr */\n"
	"\tatexit(bye);\n"
	"\tputs(\"log_open\");\n"
	"\treturn ret(\"log_open\");\n"
	"}\n"
	"int cfg_load(void) { puts(\"cfg_load\"); return ret(\"cfg_load\"); }\n"
	"void cfg_after(void) { puts(\"cfg_after\"); }\n"
	"void main_init(void) { puts(\"main_init\"); }\n"
	"int main(void)\n"
	"{\n"
	"\tpkgrt_run_inits();\n"
	"\tputs(\"main\");\n"
	"\treturn 0;\n"
	"}\n";

/* Exit status of a shell command (its output in ./out). */
static int sh_status(const char *cmd)
{
	char *full = xasprintf("%s >out 2>&1", cmd);
	int rc = system(full);
	free(full);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_int_runs(void **state)
{
	(void)state;
	for (enum driver d = DRIVER_CTOR; d <= DRIVER_MANUAL; d++) {
		char *t = int_table(d);
		assert_non_null(strstr(t, "extern int cfg_load(void);\n"));
		assert_non_null(strstr(t, "static const unsigned char pkginit__kinds_1[] = {1, 0};\n"));
		check_compiles(t, "int-table");
		tu_write("int-main.c", int_prog);
		assert_int_equal(tu_sh("cc -std=c11 -o int-prog int-main.c int-table.c"), 0);

		/* Success: as if every function were void. */
		assert_int_equal(sh_status("./int-prog"), 0);
		char *got = file_read("out", NULL);
		assert_string_equal(got, "log_open\ncfg_load\ncfg_after\nmain_init\nmain\natexit\n");
		free(got);

		/* Failure: one line, the status, nothing after it; exit()
		 * ran the atexit handler. */
		assert_int_equal(sh_status("FAIL=cfg_load ./int-prog"), 7);
		got = file_read("out", NULL);
		assert_string_equal(got, "log_open\ncfg_load\n"
			"pkgrt: init function cfg_load of package cfg failed with status 7\n"
			"atexit\n");
		free(got);

		/* The status modulo 256, never 0; a negative one in full. */
		assert_int_equal(sh_status("FAIL=log_open STATUS=-2 ./int-prog"), 254);
		got = file_read("out", NULL);
		assert_string_equal(got, "log_open\n"
			"pkgrt: init function log_open of package log failed with status -2\n"
			"atexit\n");
		free(got);
		assert_int_equal(sh_status("FAIL=log_open STATUS=512 ./int-prog"), 1);
		assert_int_equal(sh_status("FAIL=log_open STATUS=258 ./int-prog"), 2);

		/* inittrace: the tasks that finished, not the failed one. */
		assert_int_equal(sh_status("FAIL=cfg_load PKGRT_DEBUG=inittrace=1 ./int-prog 2>&1 | "
					   "sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T/'"), 0);
		got = file_read("out", NULL);
		assert_string_equal(got, "log_open\ninit log @T\ncfg_load\n"
			"pkgrt: init function cfg_load of package cfg failed with status 7\n"
			"atexit\n");
		free(got);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_no_tasks),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_driver),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_int_runs),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
