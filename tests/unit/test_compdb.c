/*
 * test_compdb.c - compile_commands.json: the JSON and shape checks with
 * their file:line:col messages, the flags libclang gets, and loading
 * through libclang (-p DIR, --compdb FILE under any name).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"
#include "testutil.h"

/* Check text as a database named "cc.json"; returns the diagnostics
 * ("" when it passes). */
static const char *check(const char *text)
{
	tu_capture_begin();
	int rc = compdb_check_json("cc.json", text, strlen(text), NULL, NULL);
	const char *d = tu_captured();
	assert_int_equal(rc, *d ? EXIT_INPUT : 0);
	return d;
}

static void test_json_valid(void **state)
{
	(void)state;
	assert_string_equal(check("[]"), "");
	assert_string_equal(check("\xef\xbb\xbf [ ]\n"), "");
	assert_string_equal(check(
		"[\n"
		"  {\"directory\": \"/b\", \"file\": \"a.c\", \"command\": \"cc -c a.c\"},\n"
		"  {\"directory\": \"/b\", \"file\": \"b.c\", \"arguments\": [\"cc\", \"b.c\"],\n"
		"   \"output\": \"b.o\", \"other\": {\"x\": [1, -2.5e3, true, null]}}\n"
		"]\n"), "");
	struct loc *at;
	size_t n;
	const char *text = "[\n {\"directory\": \"/b\", \"file\": \"a.c\", "
			   "\"command\": \"cc\"},\n\n   {\"directory\": \"/b\", "
			   "\"file\": \"\\u00e9.c\", \"arguments\": [\"cc\"]}]";
	assert_int_equal(compdb_check_json("cc.json", text, strlen(text), &at, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(at[0].line, 2);
	assert_int_equal(at[0].col, 2);
	assert_int_equal(at[1].line, 4);
	assert_int_equal(at[1].col, 4);
	free(at);
}

static void test_json_syntax_errors(void **state)
{
	(void)state;
	assert_string_equal(check(""),
		"cc.json:1:1: error: the file is empty: a compilation database is a "
		"JSON array of compile commands\n");
	assert_string_equal(check("{}"),
		"cc.json:1:1: error: a compilation database is a JSON array of "
		"compile commands; this file does not start with '['\n");
	assert_string_equal(check("[\n {\"directory\": \"/x\" \"file\": \"a.c\"}]"),
		"cc.json:2:21: error: invalid JSON: expected ',' or '}', got a string\n");
	assert_string_equal(check("[{\"directory\": \"/x\",\n"),
		"cc.json:2:1: error: invalid JSON: expected a string (an object's "
		"key), got the end of the file\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"command\": \"cc\"}"),
		"cc.json:1:1: error: invalid JSON: '[' not closed\n");
	assert_string_equal(check("[{\"directory\": \"/x\nyz\"}]"),
		"cc.json:1:16: error: invalid JSON: string not closed\n");
	assert_string_equal(check("[{\"directory\": \"\\q\"}]"),
		"cc.json:1:17: error: invalid JSON: bad escape sequence in a string\n");
	assert_string_equal(check("[] x"),
		"cc.json:1:4: error: invalid JSON: text after the end of the array\n");
	assert_string_equal(check("[{\"x\": 01.}]"),
		"cc.json:1:8: error: invalid JSON: malformed number\n");
	assert_string_equal(check("[{\"x\": nope}]"),
		"cc.json:1:8: error: invalid JSON: expected a value, got 'n'\n");
	/* Nesting is bounded, so the reader's recursion is. */
	struct strbuf deep = {0};
	sb_puts(&deep, "[{\"x\": ");
	for (int i = 0; i < 100; i++) sb_putc(&deep, '[');
	for (int i = 0; i < 100; i++) sb_putc(&deep, ']');
	sb_puts(&deep, "}]");
	assert_string_equal(check(deep.buf),
		"cc.json:1:38: error: JSON nested deeper than 32 levels\n");
	sb_free(&deep);
}

static void test_json_shape_errors(void **state)
{
	(void)state;
	assert_string_equal(check("[\n  {\"directory\": \"/x\", \"file\": \"a.c\"}\n]"),
		"cc.json:2:3: error: compile command 1 has no 'command' or "
		"'arguments'\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"command\": \"cc\"}]"),
		"cc.json:1:2: error: compile command 1 has no 'file'\n");
	assert_string_equal(check("[{\"file\": \"a.c\", \"command\": \"cc\"}]"),
		"cc.json:1:2: error: compile command 1 has no 'directory'\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"command\": \"cc\"},\n 7]"),
		"cc.json:2:2: error: compile command 2 must be an object with "
		"'directory', 'file' and 'command' or 'arguments'\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"arguments\": []}]"),
		"cc.json:1:50: error: compile command 1: 'arguments' is empty\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"arguments\": [\"cc\", 1]}]"),
		"cc.json:1:57: error: compile command 1: each item of 'arguments' "
		"must be a string\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"arguments\": \"cc a.c\"}]"),
		"cc.json:1:50: error: compile command 1: 'arguments' must be an "
		"array of strings\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": \"a.c\", "
				  "\"command\": \"  \"}]"),
		"cc.json:1:48: error: compile command 1: 'command' is empty\n");
	assert_string_equal(check("[{\"directory\": \"/x\", \"file\": 3, "
				  "\"command\": \"cc\"}]"),
		"cc.json:1:30: error: compile command 1: 'file' must be a string\n");
	assert_string_equal(check("[{\"directory\": \"\", \"file\": \"a.c\", "
				  "\"command\": \"cc\"}]"),
		"cc.json:1:16: error: compile command 1: 'directory' is empty\n");
}

static void assert_args(char **got, size_t n, const char *const *want)
{
	size_t i = 0;
	for (; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(got[i], want[i]);
	}
	assert_int_equal(n, i);
	for (i = 0; i < n; i++) free(got[i]);
	free(got);
}

static void test_strip_args(void **state)
{
	(void)state;
	const char *argv[] = {
		"gcc", "-c", "-o", "a.o", "-MD", "-MF", "a.d", "-Iinc", "-DX=a b",
		"a/a.c", "-Wp,-MD,x.d", "-MT", "t", "-MQ", "q", "-pipe", "-oout.o",
		"-MMD", "-MP", "-std=c11", "-include", "cfg.h", "-fopenmp",
		"-MFdep.d", "-x", "c",
	};
	const char *want[] = {"-Iinc", "-DX=a b", "-std=c11", "-include", "cfg.h",
			      "-fopenmp", "-x", "c", NULL};
	size_t n;
	char **got = compdb_strip_args(argv, sizeof argv / sizeof *argv,
				       "a/a.c", "/src", &n);
	assert_args(got, n, want);

	/* The file as an absolute path in the entry and relative in the
	 * command, or the other way round. */
	const char *argv2[] = {"cc", "sub/../b.c", "-I.", "-E"};
	const char *want2[] = {"-I.", NULL};
	got = compdb_strip_args(argv2, 4, "/src/b.c", "/src", &n);
	assert_args(got, n, want2);
	const char *argv3[] = {"cc", "/src/b.c", "other.c"};
	const char *want3[] = {"other.c", NULL};
	got = compdb_strip_args(argv3, 3, "b.c", "/src", &n);
	assert_args(got, n, want3);
}

static void test_load_dir(void **state)
{
	(void)state;
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char *json = xasprintf(
		"[\n"
		"{\"directory\": \"%s/d\", \"file\": \"a.c\", \"command\": "
		"\"gcc -c -o a.o '-DS=x y' a.c\"},\n"
		"{\"directory\": \"rel\", \"file\": \"b.c\", \"arguments\": "
		"[\"cc\", \"-I../inc\", \"b.c\"]}\n]\n", cwd);
	tu_write("build/compile_commands.json", json);
	free(json);
	struct compdb db;
	tu_capture_begin();
	assert_int_equal(compdb_load(&db, "build", 1), 0);
	assert_string_equal(tu_captured(), "");
	assert_string_equal(db.path, "build/compile_commands.json");
	assert_int_equal(db.ncmds, 2);
	assert_string_equal(db.cmds[0].file, "a.c");
	assert_string_equal(db.cmds[0].directory, "d");
	assert_int_equal(db.cmds[0].nargs, 1);
	assert_string_equal(db.cmds[0].args[0], "-DS=x y");
	assert_int_equal(db.cmds[0].at.line, 2);
	/* A relative directory is taken from the database's directory. */
	assert_string_equal(db.cmds[1].directory, "build/rel");
	assert_int_equal(db.cmds[1].nargs, 1);
	assert_string_equal(db.cmds[1].args[0], "-I../inc");
	assert_int_equal(db.cmds[1].at.line, 3);
	compdb_free(&db);
}

static void test_load_file(void **state)
{
	(void)state;
	tu_write("db/commands-for-ci.json",
		 "[{\"directory\": \"/w\", \"file\": \"x.c\", \"command\": \"cc x.c\"}]");
	struct compdb db;
	tu_capture_begin();
	assert_int_equal(compdb_load(&db, "db/commands-for-ci.json", 0), 0);
	assert_string_equal(tu_captured(), "");
	assert_int_equal(db.ncmds, 1);
	assert_string_equal(db.cmds[0].file, "x.c");
	assert_string_equal(db.cmds[0].directory, "/w");
	assert_int_equal(db.cmds[0].nargs, 0);
	compdb_free(&db);
}

static void test_load_errors(void **state)
{
	(void)state;
	struct compdb db;
	mkdir("empty", 0777);
	tu_capture_begin();
	assert_int_equal(compdb_load(&db, "empty", 1), EXIT_INPUT);
	assert_string_equal(tu_captured(),
		"pkginit: error: no compilation database in 'empty': "
		"'empty/compile_commands.json' does not exist (CMake writes it "
		"with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, Bear with 'bear -- make')\n");
	tu_capture_begin();
	assert_int_equal(compdb_load(&db, "nope.json", 0), EXIT_INPUT);
	assert_string_equal(tu_captured(),
		"pkginit: error: cannot read 'nope.json': No such file or directory\n");
	tu_write("bad/compile_commands.json", "[\n  {\"directory\": \"/x\",\n"
		 "   \"file\": \"a.c\"}\n]\n");
	tu_capture_begin();
	assert_int_equal(compdb_load(&db, "bad", 1), EXIT_INPUT);
	assert_string_equal(tu_captured(),
		"bad/compile_commands.json:2:3: error: compile command 1 has no "
		"'command' or 'arguments'\n");
	assert_null(db.cmds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_valid),
		cmocka_unit_test(test_json_syntax_errors),
		cmocka_unit_test(test_json_shape_errors),
		cmocka_unit_test(test_strip_args),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests_name("compdb", tests, tu_setup_dir, tu_teardown_dir);
}
