/*
 * test_emit_shlib.c - the init table of --driver=shlib (emit_table):
 * its exact text against a golden file (tests/golden/inittab_shlib.c);
 * that its table and runner are ctor's, byte for byte, without the
 * exported pkgrt_run_inits; that it compiles alone and warning-free under
 * gcc and clang; that the module's name is escaped; that a shared library
 * linked with it runs its table from its constructor in a program without
 * the runtime, and hands it to a registrar when the program has one; and
 * link_run's handling of --driver=shlib (no main needed) and --module.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cmd.h"
#include "graph_fixture.h"
#include "testutil.h"

/* A library: geo imports mathx; no main. */
static const char spec[] = "geo > mathx | mathx";



static void check_compiles(const char *text, const char *name)
{
	char *src = xasprintf("%s.c", name);
	tu_write(src, text);
	static const char *const ccs[] = {"cc", "clang"};
	for (size_t i = 0; i < 2; i++) {
		char *cmd = xasprintf("%s -std=c11 -Wall -Wextra -pedantic -Werror -fPIC "
				      "-c %s -o %s-%s.o", ccs[i], src, name, ccs[i]);
		assert_int_equal(tu_sh(cmd), 0);
		free(cmd);
	}
	free(src);
}

static void test_golden(void **state)
{
	(void)state;
	const char *top = getenv("PKGINIT_TOP");
	char *path = xasprintf("%s/tests/golden/inittab_shlib.c", top ? top : tu_top);
	char *want = file_read(path, NULL);
	if (!want) fail_msg("%s: cannot read", path);
	char *got = fx_table(spec, DRIVER_SHLIB, "libgeo.so");
	assert_string_equal(got, want);
	check_compiles(got, "shlib");
	free(got);
	free(want);
	free(path);
}

/* Between the types and the runner's end, ctor's text; then no exported
 * runner and no constructor of ctor's kind. */
static void test_ctor_body(void **state)
{
	(void)state;
	char *ctor = fx_table(spec, DRIVER_CTOR, NULL);
	char *shlib = fx_table(spec, DRIVER_SHLIB, "libgeo.so");
	const char *cb = strstr(ctor, "\n/* The ABI of pkgrt.h");
	const char *ce = strstr(ctor, "\nvoid pkgrt_run_inits(void)\n{");
	const char *sb = strstr(shlib, "\n/* The ABI of pkgrt.h");
	assert_non_null(cb);
	assert_non_null(ce);
	assert_non_null(sb);
	assert_int_equal(strncmp(sb, cb, (size_t)(ce - cb)), 0);
	assert_null(strstr(shlib, "\nvoid pkgrt_run_inits(void)\n{"));
	assert_null(strstr(shlib, "pkginit__ctor(void)\n{\n\tpkginit__run();\n}"));
	assert_non_null(strstr(shlib, " * Driver: shlib."));
	assert_null(strstr(shlib, "pkgrt_abi_v"));
	free(shlib);
	free(ctor);
}

static void test_module_name(void **state)
{
	(void)state;
	char *t = fx_table(spec, DRIVER_SHLIB, "lib\"we?ird\\.so");
	assert_non_null(strstr(t, "\t\"lib\\\"we\\?ird\\\\.so\",\n\t&pkginit__inittab,"));
	check_compiles(t, "weird");
	free(t);
	t = fx_table(spec, DRIVER_SHLIB, NULL);
	assert_non_null(strstr(t, "\t\"shared library\",\n"));
	free(t);
	t = fx_table("a!", DRIVER_SHLIB, "liba.so");
	assert_non_null(strstr(t, "\t0,\n\t(struct pkgrt_inittask *)0,\n};\n"));
	check_compiles(t, "empty");
	free(t);
}

/* The library's functions, and two programs: one with no runtime (the
 * constructor runs the table) and one with a registrar (it gets it). */
static const char lib[] =
	"#include <stdio.h>\n"
	"__attribute__((visibility(\"hidden\"))) void mathx_init(void) { puts(\"mathx_init\"); fflush(stdout); }\n"
	"__attribute__((visibility(\"hidden\"))) void geo_init(void) { puts(\"geo_init\"); fflush(stdout); }\n";
static const char plain[] =
	"#include <stdio.h>\n"
	"int main(void) { puts(\"main\"); return 0; }\n";
static const char registrar[] =
	"#include <stdio.h>\n"
	"#include \"pkgrt.h\"\n"
	"int pkgrt_register_module_v1(struct pkgrt_module *m)\n"
	"{\n"
	"\tprintf(\"registered %s, %u tasks, first %s\\n\", m->name, m->tab->ntasks,\n"
	"\t       m->tab->tasks[0].path);\n"
	"\treturn 1;\n"
	"}\n"
	"int main(void) { puts(\"main\"); return 0; }\n";

static void test_runs(void **state)
{
	(void)state;
	const char *top = getenv("PKGINIT_TOP");
	char *t = fx_table(spec, DRIVER_SHLIB, "libgeo.so");
	tu_write("geo-table.c", t);
	tu_write("geo-lib.c", lib);
	tu_write("plain.c", plain);
	tu_write("registrar.c", registrar);
	assert_int_equal(tu_sh("cc -fPIC -fvisibility=hidden -shared -o libgeo.so geo-lib.c geo-table.c"), 0);
	assert_int_equal(tu_sh("cc -o plain plain.c -Wl,--no-as-needed -L. -lgeo -Wl,-rpath,\"$PWD\""), 0);
	assert_int_equal(tu_sh("PKGRT_DEBUG=inittrace=1 ./plain 2>&1 | "
			    "sed -E 's/@[0-9.]+ ms, [0-9.]+ ms clock$/@T/'"), 0);
	char *got = file_read("out", NULL);
	assert_string_equal(got, "mathx_init\ninit mathx @T\ngeo_init\ninit geo @T\nmain\n");
	free(got);
	char *cmd = xasprintf("cc -I%s/runtime/include -rdynamic -o registrar registrar.c "
			      "-Wl,--no-as-needed -L. -lgeo -Wl,-rpath,\"$PWD\"", top ? top : tu_top);
	assert_int_equal(tu_sh(cmd), 0);
	assert_int_equal(tu_sh("./registrar"), 0);
	got = file_read("out", NULL);
	assert_string_equal(got, "registered libgeo.so, 2 tasks, first mathx\nmain\n");
	free(got);
	free(cmd);
	free(t);
}

static void test_link_run(void **state)
{
	(void)state;
	struct inputs_opts io = {0};
	io.module = "libx.so";
	tu_capture_begin();
	assert_int_equal(link_run("link", &io, NULL, 0, "table.c", NULL), EXIT_USAGE);
	char *err = tu_capture_end();
	assert_non_null(strstr(err, "--module names a shared library's table; it needs --driver=shlib"));
	assert_int_not_equal(access("table.c", F_OK), 0);
	free(err);

	enum driver d = DRIVER_RT0;
	assert_int_equal(emit_driver_parse("shlib", &d), 0);
	assert_int_equal(d, DRIVER_SHLIB);
	assert_string_equal(emit_driver_name(DRIVER_SHLIB), "shlib");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_ctor_body),
		cmocka_unit_test(test_module_name),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_link_run),
	};
	return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
